package entity

// The rules ask of nearly every token whether its character is one of a few fixed sets
// (functionChars, placePrefixes …). setsOf answers from a table, an index rather than a
// search of the set's string.

type charSet uint8

const (
	setFunction       charSet = 1 << iota // functionChars
	setPlacePrefix                        // placePrefixes
	setAdmin                              // adminChars
	setDeterminer                         // determiners
	setNoOrgStart                         // noOrgStart
	setStrictFunction                     // strictFunction
)

// determiners before a suffix make no organisation's name (各级党委, 该市政府).
const determiners = "各该本每诸"

// noOrgStart never stand inside an organisation's name.
const noOrgStart = "各该本每原诸其此这那"

var setTable [0x10000]charSet

func init() {
	for f, set := range map[charSet]string{
		setFunction: functionChars, setPlacePrefix: placePrefixes, setAdmin: adminChars,
		setDeterminer: determiners, setNoOrgStart: noOrgStart, setStrictFunction: strictFunction,
	} {
		for _, c := range set {
			setTable[c] |= f
		}
	}
}

// inSet reports whether c is a character of set f, as strings.ContainsRune(set, c) does.
// The sets hold characters of the Basic Multilingual Plane alone, and no U+FFFD.
func inSet(c rune, f charSet) bool {
	return uint32(c) < uint32(len(setTable)) && setTable[c]&f != 0
}
