package entity

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/rules/entities"
)

// The data files a recognizer reads, and what each holds. Sectioned files open each part
// with a line "[name]"; the others are lists of entries, "|" joining the names of one thing
// where the file allows it.
var dataFiles = map[string]struct {
	sections []string // nil: not sectioned
	aliases  bool     // entries may join several names with "|"
}{
	"divisions.txt":          {aliases: true},
	"world.txt":              {aliases: true},
	"organizations.txt":      {aliases: true},
	"people.txt":             {aliases: true},
	"surnames.txt":           {},
	"surnames_ambiguous.txt": {},
	"not_entities.txt":       {},
	"transliteration.txt":    {},
	"person_cues.txt":        {sections: []string{"before", "after", "titles", "not_last", "before_last"}},
	"place_suffixes.txt":     {sections: []string{"admin", "natural", "facility", "final"}},
	"org_suffixes.txt":       {sections: []string{"strong", "weak", "local", "place", "not", "legal", "trade"}},
}

// Recognizer holds the dictionaries and word lists entity recognition reads. It is built
// once and only read afterwards, so one Recognizer serves any number of goroutines.
type Recognizer struct {
	// words holds what the files say of each string: the names of the dictionaries, their
	// prefixes, the cue words and the suffixes. One lookup answers every question the rules
	// ask of a word, and a sentence looks each of its tokens up once (tok.wi, tok.wb).
	words   map[string]int32 // index in list
	list    []word
	maxName int // longest name of the dictionaries, in code points

	// listed holds, of the same words, those the word lists name (surnames, not_entities,
	// person cues, suffixes): listWord looks them up among 1,700 words rather than 13,400.
	listed map[string]int32

	wordBits []wordBits // of each word of list

	// table and listedTable hold words and listed as FromFiles leaves them, for the
	// lookups (w, listWord): a slot holds its text, one visit to memory for most.
	table, listedTable table

	// single indexes the words of one character of the Basic Multilingual Plane (but
	// U+FFFD, which bytes that are no UTF-8 also read as) by the character: its index (-1
	// for none) and bits. A third of a sentence's tokens are one character, and most of
	// those a word.
	single []hit

	chars       chars // what the files say of single characters: surnames, transliteration …
	pairs       pairs // the first two characters of the words, for w
	listedPairs pairs // the first two characters of the listed words, for listWord
	joins       joins // every two characters side by side in a word, for dictionary

	maxSuffix int
	// suffixPairs holds the last two characters of the organisation and place suffixes
	// (endsSuffix2), facilityPairs those of the facilities (facility); oddSuffixes says a
	// suffix ends with bytes that are no UTF-8.
	suffixPairs, facilityPairs pairs
	oddSuffixes                bool
}

// word is what the data files say of one string.
type word struct {
	place, org, person string // the full name (normalized) when the word is a name, else ""
	known              bool   // a place, an organisation or a person
	prefix             bool   // a proper prefix of a known name (cut at a character), so a lookup can stop early

	surname   bool // starts a name even out of single characters
	ambiguous bool // starts a name only where segmentation tagged one
	notEntity bool

	before, after, title bool // person cues

	placeSuffix string // admin, natural, facility
	orgStrong   bool
	orgWeak     bool
	orgNot      bool
	orgLocal    bool // a body a level names alone (市妇联)
	afterPlace  bool // a suffix that follows only a place (政府)
	orgLegal    bool // a legal form a short name drops (有限公司)
	orgTrade    bool // a trade a short name may drop (传媒)
}

// unknown is the word of the strings the files do not name.
var unknown word

// w returns what the files say of s; never nil, and never to be changed. A string whose
// first character starts no word of the files, or whose first two characters start none
// (or, of one character, that is no word), costs no lookup in the table: most tokens of a sentence
// are no word of the files, and these checks cost a table's index each.
func (r *Recognizer) w(s string) *word {
	return r.word(r.index(s))
}

// index returns the index of s in list, or -1 when the files do not name it.
func (r *Recognizer) index(s string) int32 {
	return r.find(s, &r.table, &r.pairs, charStartsWord, charWord).i
}

// hit is what a lookup finds: a word's index in list (-1 for none) and its bits.
type hit struct {
	i int32
	b wordBits
}

// noHit is the hit of a string the files do not name.
var noHit = hit{i: -1}

// word returns the word of an index that index returned.
func (r *Recognizer) word(i int32) *word {
	if i < 0 {
		return &unknown
	}
	return &r.list[i]
}

// listWord is w for the questions the word lists answer (surname, ambiguous, notEntity,
// before, after, title, placeSuffix and org…), not the names' (place, org, person, known,
// prefix): it looks among the listed words alone.
func (r *Recognizer) listWord(s string) *word {
	return r.word(r.find(s, &r.listedTable, &r.listedPairs, charStartsListed, charListed).i)
}

// wIf is w(s) for a question that the bits of mask answer no to when s has none of them
// (bPlace for place, bOrg for org …): the slot that finds s holds its bits, and a word
// without them is not read from list, one visit to memory fewer.
func (r *Recognizer) wIf(s string, mask wordBits) *word {
	return r.wordIf(r.find(s, &r.table, &r.pairs, charStartsWord, charWord), mask)
}

// wordIf is the word h found, or unknown when its bits have none of mask's.
func (r *Recognizer) wordIf(h hit, mask wordBits) *word {
	if h.b&mask == 0 {
		return &unknown
	}
	return &r.list[h.i]
}

// wBits returns the bits of w(s) (w(s).bits()), from the slot that finds s.
func (r *Recognizer) wBits(s string) wordBits {
	return r.find(s, &r.table, &r.pairs, charStartsWord, charWord).b
}

// listIf is wIf for listWord.
func (r *Recognizer) listIf(s string, mask wordBits) *word {
	return r.wordIf(r.find(s, &r.listedTable, &r.listedPairs, charStartsListed, charListed), mask)
}

// listBits returns the bits of listWord(s) (listWord(s).bits()), from the slot that finds s.
func (r *Recognizer) listBits(s string) wordBits {
	return r.find(s, &r.listedTable, &r.listedPairs, charStartsListed, charListed).b
}

// startsWord2 reports whether a word of the files may start with the first two characters
// of s, which has two or more: when not, w finds no string that starts with them.
func (r *Recognizer) startsWord2(s string) bool {
	c, size := pipeline.DecodeRune(s)
	c2, _ := pipeline.DecodeRune(s[size:])
	return r.chars.has(c, charStartsWord) && r.pairs.has(c, c2)
}

// oneChar reports whether Recognizer.single holds the word of character c (when there is one).
func oneChar(c rune) bool {
	return c != utf8.RuneError && uint32(c) < 0x10000
}

// find returns the index of s in t and its bits, or noHit.
func (r *Recognizer) find(s string, t *table, p *pairs, starts, alone charFlags) hit {
	c, size := pipeline.DecodeRune(s)
	if !r.chars.has(c, starts) {
		return noHit
	}
	c2 := rune(-1)
	if size < len(s) {
		c2, _ = pipeline.DecodeRune(s[size:])
	}
	return r.findRead(s, c, size, c2, t, p, starts, alone)
}

// findRead is find for a string whose first character, c of size bytes, and second, c2
// (any when there is none), are read.
func (r *Recognizer) findRead(s string, c rune, size int, c2 rune, t *table, p *pairs, starts, alone charFlags) hit {
	if !r.chars.has(c, starts) {
		return noHit
	}
	if size == len(s) {
		if !r.chars.has(c, alone) {
			return noHit
		}
		if oneChar(c) {
			// A character that is a word of the table by itself (alone says so) is a word of
			// words too, at the same index: single holds it.
			return r.single[c]
		}
	} else if !p.has(c, c2) {
		return noHit
	} else if len(s) == size+utf8.RuneLen(c2) && twoChars(c, c2) {
		// Two characters, both read (c2 is U+FFFD when its bytes are no UTF-8).
		i, b := t.findTwo(c, c2)
		return hit{i: i, b: b}
	}
	i, b := t.find(s)
	return hit{i: i, b: b}
}

// wordBits are the questions the rules ask of nearly every token's word, which fill copies
// into the token (tok.wb): the token answers them without a visit to its word, which among
// the 13,400 words of the files is a cache miss more often than not.
type wordBits uint16

const (
	bKnown       wordBits = 1 << iota // known
	bPrefix                           // prefix
	bPlace                            // place != ""
	bOrg                              // org != ""
	bNotEntity                        // notEntity
	bBefore                           // before
	bAfter                            // after
	bTitle                            // title
	bOrgNot                           // orgNot
	bOrgLocal                         // orgLocal
	bOrgSuffix                        // orgStrong || orgWeak (isOrgSuffix)
	bPlaceSuffix                      // placeSuffix != ""
	bAdmin                            // placeSuffix == "admin"
)

// bits returns the wordBits of w.
func (w *word) bits() wordBits {
	var b wordBits
	for _, f := range []struct {
		on  bool
		bit wordBits
	}{
		{w.known, bKnown}, {w.prefix, bPrefix}, {w.place != "", bPlace}, {w.org != "", bOrg},
		{w.notEntity, bNotEntity}, {w.before, bBefore}, {w.after, bAfter}, {w.title, bTitle},
		{w.orgNot, bOrgNot}, {w.orgLocal, bOrgLocal}, {isOrgSuffix(w), bOrgSuffix},
		{w.placeSuffix != "", bPlaceSuffix}, {w.placeSuffix == "admin", bAdmin},
	} {
		if f.on {
			b |= f.bit
		}
	}
	return b
}

// listsSay reports whether the word lists say anything of a word: whether listWord finds it.
func (w *word) listsSay() bool {
	return w.surname || w.ambiguous || w.notEntity || w.before || w.after || w.title ||
		w.placeSuffix != "" || w.orgStrong || w.orgWeak || w.orgNot || w.orgLocal || w.afterPlace || w.orgLegal || w.orgTrade
}

// indexListed fills listed, once every file is read.
func (r *Recognizer) indexListed() {
	r.listed = map[string]int32{}
	for s, i := range r.words {
		if !r.list[i].listsSay() {
			continue
		}
		r.listed[s] = i
		mark(s, &r.chars, &r.listedPairs, charStartsListed, charListed)
	}
}

// mark records what find checks before the map, read from s as find reads it.
func mark(s string, cs *chars, p *pairs, starts, alone charFlags) {
	c, size := pipeline.DecodeRune(s)
	cs.set(c, starts)
	if size == len(s) {
		cs.set(c, alone)
	} else {
		c2, _ := pipeline.DecodeRune(s[size:])
		p.add(c, c2)
	}
}

// entry returns the word of s, adding it; the pointer is good until the next call.
func (r *Recognizer) entry(s string) *word {
	i, ok := r.words[s]
	if !ok {
		i = int32(len(r.list))
		r.list = append(r.list, word{})
		r.words[s] = i
		mark(s, &r.chars, &r.pairs, charStartsWord, charWord)
		prev := rune(-1)
		for x := 0; x < len(s); {
			c, size := pipeline.DecodeRune(s[x:])
			if x > 0 {
				r.joins.add(prev, c)
			}
			prev = c
			x += size
		}
	}
	return &r.list[i]
}

// pairs is a set of the first two characters of words, which may answer yes for a pair it
// does not hold (pairs share its bits) but never no for one it holds.
type pairs [1 << 11]uint64 // 2^17 bits, 16 KiB: about one word in ten shares a bit

// joins is a set of two characters, as pairs but larger: a word holds several pairs of
// characters side by side.
type joins [1 << 13]uint64 // 2^19 bits, 64 KiB

func (j *joins) add(c, c2 rune) {
	b := (uint32(c)<<16 ^ uint32(c2)) * 0x9E3779B1 >> (32 - 19)
	j[b/64] |= 1 << (b % 64)
}

func (j *joins) has(c, c2 rune) bool {
	b := (uint32(c)<<16 ^ uint32(c2)) * 0x9E3779B1 >> (32 - 19)
	return j[b/64]&(1<<(b%64)) != 0
}

func pairBit(c, c2 rune) uint32 {
	return (uint32(c)<<16 ^ uint32(c2)) * 0x9E3779B1 >> (32 - 17)
}

func (p *pairs) add(c, c2 rune) {
	b := pairBit(c, c2)
	p[b/64] |= 1 << (b % 64)
}

func (p *pairs) has(c, c2 rune) bool {
	b := pairBit(c, c2)
	return p[b/64]&(1<<(b%64)) != 0
}

// Default returns the recognizer built from the data files embedded from rules/entities.
func Default() (*Recognizer, error) {
	return New(entities.FS())
}

// New builds a recognizer from the data files found in each source, in order: a file of the
// same name in a later source extends the earlier one (a researcher's folder beside the
// embedded defaults: New(entities.FS(), os.DirFS("my-entities"))). A .txt file with an
// unknown name, an unknown section or a malformed entry is an error naming file and line.
func New(sources ...fs.FS) (*Recognizer, error) {
	var files []File
	var errs []error
	for _, src := range sources {
		f, err := readFiles(src)
		if err != nil {
			return nil, err
		}
		files = append(files, f...)
	}
	for _, f := range files {
		if !IsDataFile(f.Name) {
			known := make([]string, 0, len(dataFiles))
			for k := range dataFiles {
				known = append(known, k)
			}
			sort.Strings(known)
			errs = append(errs, fmt.Errorf("%s: not an entity data file (known: %s)", f.Name, strings.Join(known, ", ")))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return FromFiles(files)
}

// readFiles reads every .txt file of src, named by its base name.
func readFiles(src fs.FS) ([]File, error) {
	names, err := fs.Glob(src, "*.txt")
	if err != nil {
		return nil, err
	}
	var files []File
	for _, name := range names {
		data, err := fs.ReadFile(src, name)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: name, Path: name, Data: data})
	}
	return files, nil
}

// File is one entity data file: Name is its base name (organizations.txt …), which says what
// it holds, and Path where it came from, for errors.
type File struct {
	Name, Path string
	Data       []byte
}

// IsDataFile reports whether name is the name of an entity data file, so that a researcher's
// rules folder may hold them beside its rules and OCR lexicon.
func IsDataFile(name string) bool {
	_, ok := dataFiles[name]
	return ok
}

// WithFiles returns the recognizer of the embedded data extended by a researcher's files, in
// order (see New).
func WithFiles(extra []File) (*Recognizer, error) {
	if len(extra) == 0 {
		return Default()
	}
	files, err := readFiles(entities.FS())
	if err != nil {
		return nil, err
	}
	return FromFiles(append(files, extra...))
}

// FromFiles builds a recognizer from data files, in order: a later file of the same name
// extends an earlier one.
func FromFiles(files []File) (*Recognizer, error) {
	// About one word (a name, a prefix of one, a cue) for every six bytes of the embedded
	// files: sized once rather than grown and copied a dozen times.
	size := 0
	for _, f := range files {
		size += len(f.Data)
	}
	r := &Recognizer{words: make(map[string]int32, size/6), list: make([]word, 0, size/6)}
	var errs []error
	for _, f := range files {
		if !IsDataFile(f.Name) {
			errs = append(errs, fmt.Errorf("%s: not an entity data file", f.Path))
			continue
		}
		errs = append(errs, r.load(f.Name, f.Path, f.Data)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	r.indexListed()
	r.wordBits = make([]wordBits, len(r.list))
	for i := range r.list {
		r.wordBits[i] = r.list[i].bits()
	}
	r.table, r.listedTable = newTable(r.words, r.wordBits), newTable(r.listed, r.wordBits)
	for c := rune(0); c < 0x10000; c++ {
		if pipeline.IsHan(c) || c == '·' {
			r.chars.set(c, charHan)
		}
	}
	r.single = make([]hit, 0x10000)
	for c := range r.single {
		r.single[c] = noHit
	}
	for s, i := range r.words {
		if c, size := utf8.DecodeRuneInString(s); size == len(s) && oneChar(c) {
			r.single[c] = hit{i: i, b: r.wordBits[i]}
		}
	}
	return r, nil
}

// load adds one file's entries.
func (r *Recognizer) load(name, path string, data []byte) []error {
	spec := dataFiles[name]
	var errs []error
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		if spec.sections != nil {
			if strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]") {
				section = strings.TrimSpace(text[1 : len(text)-1])
				ok := false
				for _, s := range spec.sections {
					ok = ok || s == section
				}
				if !ok {
					errs = append(errs, fmt.Errorf("%s:%d: unknown section [%s] (known: %s)", path, line, section, strings.Join(spec.sections, ", ")))
					section = ""
				}
				continue
			}
			if section == "" {
				errs = append(errs, fmt.Errorf("%s:%d: entries before the first section; open one with %s", path, line, "["+strings.Join(spec.sections, "], [")+"]"))
				continue
			}
		}
		for _, entry := range strings.Fields(text) {
			names := []string{entry}
			if spec.aliases {
				names = strings.Split(entry, "|")
			} else if strings.Contains(entry, "|") {
				errs = append(errs, fmt.Errorf("%s:%d: %q: this file takes single words, not alternatives joined by |", path, line, entry))
				continue
			}
			bad := false
			for _, n := range names {
				if n == "" {
					errs = append(errs, fmt.Errorf("%s:%d: %q: an empty name between |", path, line, entry))
					bad = true
				}
			}
			if !bad {
				r.add(name, section, names)
			}
		}
	}
	return errs
}

func (r *Recognizer) add(file, section string, names []string) {
	full := names[0]
	switch file {
	case "divisions.txt", "world.txt", "organizations.txt", "people.txt":
		for _, n := range names {
			// The first entry that names a string gives its full name.
			w := r.entry(n)
			name := &w.place
			switch file {
			case "organizations.txt":
				name = &w.org
			case "people.txt":
				name = &w.person
			}
			if *name == "" {
				*name = full
			}
			w.known = true
			r.maxName = max(r.maxName, utf8.RuneCountInString(n))
			for k := range n {
				if k > 0 {
					r.entry(n[:k]).prefix = true
				}
			}
		}
	case "surnames.txt":
		r.entry(full).surname = true
		switch c, rest := firstChar(full); utf8.RuneCountInString(rest) {
		case 0:
			r.chars.set(c, charSurname)
		case 1:
			r.chars.set(c, charSurname2)
		}
	case "surnames_ambiguous.txt":
		r.entry(full).ambiguous = true
		if c, rest := firstChar(full); rest == "" {
			r.chars.set(c, charAmbiguous)
		}
	case "not_entities.txt":
		r.entry(full).notEntity = true
	case "transliteration.txt":
		for _, c := range full {
			r.chars.set(c, charTranslit)
		}
	case "person_cues.txt":
		switch section {
		case "not_last", "before_last":
			f := charNotLast
			if section == "before_last" {
				f = charBeforeLast
			}
			for _, c := range full {
				r.chars.set(c, f)
			}
		case "before":
			r.entry(full).before = true
		case "after":
			r.entry(full).after = true
		case "titles":
			r.entry(full).title = true
		}
	case "place_suffixes.txt":
		if section == "final" {
			for _, c := range full {
				r.chars.set(c, charPlaceFinal)
			}
			return
		}
		r.entry(full).placeSuffix = section
		r.markSuffix(full, section == "facility")
		r.maxSuffix = max(r.maxSuffix, utf8.RuneCountInString(full))
	case "org_suffixes.txt":
		r.markSuffix(full, false)
		w := r.entry(full)
		switch section {
		case "strong":
			w.orgStrong = true
		case "weak":
			w.orgWeak = true
		case "not":
			w.orgNot = true
		case "local":
			w.orgLocal = true
		case "place":
			w.afterPlace = true
		case "legal":
			w.orgLegal = true
		case "trade":
			w.orgTrade = true
		}
		r.maxSuffix = max(r.maxSuffix, utf8.RuneCountInString(full))
	}
}

// charFlags are what the data files say of one character.
type charFlags uint16

const (
	charSurname      charFlags = 1 << iota // a surname of one character (surnames.txt)
	charSurname2                           // the first character of a two-character surname (欧阳)
	charAmbiguous                          // a surname that is also an everyday word (高, 于)
	charTranslit                           // transliterates foreign names
	charNotLast                            // a name does not end with it
	charBeforeLast                         // ends words for people (服务员)
	charPlaceFinal                         // a place name often ends with it
	charStartsWord                         // starts a word of Recognizer.words
	charEndsSuffix                         // ends an organisation or place suffix
	charWord                               // is a word of Recognizer.words by itself
	charStartsListed                       // starts a word of Recognizer.listed
	charListed                             // is a word of Recognizer.listed by itself
	charHan                                // a Han character of the Basic Multilingual Plane, or · (tok.han())
)

// chars holds the flags of characters: a table for the Basic Multilingual Plane, where
// nearly every name's characters are, so that the rules' many questions about a character
// cost an index rather than a map lookup.
type chars struct {
	bmp   [0x10000]charFlags
	other map[rune]charFlags
}

func (cs *chars) has(c rune, f charFlags) bool {
	return cs.flags(c)&f != 0
}

// flags returns every flag of c: one look at the table answers several questions.
func (cs *chars) flags(c rune) charFlags {
	if uint32(c) < uint32(len(cs.bmp)) {
		return cs.bmp[c]
	}
	return cs.other[c]
}

func (cs *chars) set(c rune, f charFlags) {
	if c < 0 {
		return // no character (firstChar)
	}
	if uint32(c) < uint32(len(cs.bmp)) {
		cs.bmp[c] |= f
		return
	}
	if cs.other == nil {
		cs.other = map[rune]charFlags{}
	}
	cs.other[c] |= f
}

// endsSuffix reports whether s ends with a character that ends an organisation or place
// suffix: when it does not, no suffix of s is one, and the rules that try each of a word's
// endings (placeHead, orgHead, facility …) need not look any up.
func (r *Recognizer) endsSuffix(s string) bool {
	return r.chars.has(lastRune(s), charEndsSuffix)
}

// endsSuffix2 is endsSuffix for the suffixes of two characters or more: whether s ends with
// two characters that end one. When it does not, the rules try the last character alone.
// It may answer yes for a pair that ends none, never no for one that does.
func (r *Recognizer) endsSuffix2(s string) bool {
	return r.endsPair(s, &r.suffixPairs)
}

// tokEndsSuffix2 is endsSuffix2(s.word(t)) for a token of s, for a Han token from its last
// character, which fill read: only the one before it is decoded.
func (r *Recognizer) tokEndsSuffix2(s *sentence, t *tok) bool {
	w := s.word(t)
	if !t.han() || t.n() < 2 {
		return r.endsSuffix2(w)
	}
	// A Han token is UTF-8, its last character is the last decoded, and the one before
	// it ends the rest.
	rest := w[:len(w)-utf8.RuneLen(t.last)]
	var prev rune
	if n := len(rest); n >= 3 && rest[n-3] >= 0xE1 && rest[n-3] <= 0xEF && rest[n-3] != 0xED && rest[n-2]&0xC0 == 0x80 && rest[n-1]&0xC0 == 0x80 {
		// Three bytes that are a character whatever their continuation bytes (as
		// pipeline.DecodeRune reads them): most Han characters.
		prev = rune(rest[n-3]&0x0F)<<12 | rune(rest[n-2]&0x3F)<<6 | rune(rest[n-1]&0x3F)
	} else {
		prev = lastRune(rest)
	}
	return r.oddSuffixes || r.suffixPairs.has(prev, t.last)
}

// endsPair reports whether s may end with the last two characters of a suffix of p
// (suffixPairs, or facilityPairs for the facilities' alone).
func (r *Recognizer) endsPair(s string, p *pairs) bool {
	prev, last, ok := lastTwo(s)
	return !ok || r.oddSuffixes || p.has(prev, last)
}

// markSuffix records the last character of an organisation or place suffix (endsSuffix)
// and, when it has two or more, its last two (endsSuffix2, and endsPair with
// facilityPairs for a facility's).
func (r *Recognizer) markSuffix(suffix string, facility bool) {
	r.chars.set(lastRune(suffix), charEndsSuffix)
	if utf8.RuneCountInString(suffix) < 2 {
		return
	}
	if prev, last, ok := lastTwo(suffix); ok {
		r.suffixPairs.add(prev, last)
		if facility {
			r.facilityPairs.add(prev, last)
		}
	} else {
		r.oddSuffixes = true // bytes that are no UTF-8: endsPair cannot rule it out
	}
}

// lastTwo returns the last two characters of s, or false when it has fewer or bytes that
// are no UTF-8 end it. Two whole characters end every forward reading of s too (their first
// bytes are no continuation bytes, so nothing earlier runs into them): a suffix that
// lastRunes cuts ends with the same two.
func lastTwo(s string) (prev, last rune, ok bool) {
	last, size := utf8.DecodeLastRuneInString(s)
	if size == 0 || last == utf8.RuneError && size == 1 {
		return 0, 0, false
	}
	prev, size2 := utf8.DecodeLastRuneInString(s[:len(s)-size])
	if size2 == 0 || prev == utf8.RuneError && size2 == 1 {
		return 0, 0, false
	}
	return prev, last, true
}

// lastRune returns the last character of s as a forward reading decodes it (so that every
// lastRunes(s, k) ends with it too), or -1 for "".
func lastRune(s string) rune {
	// A character that ends s whole is where a forward reading ends too: its first byte
	// is no continuation byte, so no earlier character runs into it.
	if c, size := utf8.DecodeLastRuneInString(s); size > 1 || size == 1 && c != utf8.RuneError {
		return c
	}
	last := rune(-1)
	for _, c := range s {
		last = c
	}
	return last
}

// firstChar returns the first character of s and the rest. A byte that is no UTF-8 is no
// character (c < 0): the surname flags, which stand for strings, skip it.
func firstChar(s string) (c rune, rest string) {
	c, size := utf8.DecodeRuneInString(s)
	if size == 0 || c == utf8.RuneError && size == 1 {
		return -1, s[size:]
	}
	return c, s[size:]
}
