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
	places  map[string]string // name → full name (normalized)
	orgs    map[string]string
	people  map[string]string
	known   map[string]bool // a name of any of the three maps
	prefix  map[string]bool // every proper prefix of a known name, so a lookup can stop early
	maxName int             // longest name in the three maps, in code points

	surnames  map[string]bool // start a name even out of single characters
	ambiguous map[string]bool // start a name only where segmentation tagged one
	notEntity map[string]bool
	chars     chars // what the files say of single characters: surnames, transliteration …

	before, after, titles map[string]bool

	placeSuffix map[string]string // suffix → admin, natural, facility
	orgStrong   map[string]bool
	orgWeak     map[string]bool
	orgNot      map[string]bool
	orgLocal    map[string]bool // bodies a level names alone (市妇联)
	afterPlace  map[string]bool // suffixes that follow only a place (政府)
	orgLegal    map[string]bool // legal forms a short name drops (有限公司)
	orgTrade    map[string]bool // trades a short name may drop (传媒)
	maxSuffix   int
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
	r := &Recognizer{
		places: map[string]string{}, orgs: map[string]string{}, people: map[string]string{}, known: map[string]bool{}, prefix: map[string]bool{},
		surnames: map[string]bool{}, ambiguous: map[string]bool{}, notEntity: map[string]bool{},
		before: map[string]bool{}, after: map[string]bool{}, titles: map[string]bool{},
		placeSuffix: map[string]string{}, orgStrong: map[string]bool{}, orgWeak: map[string]bool{}, orgNot: map[string]bool{},
		orgLegal: map[string]bool{}, orgTrade: map[string]bool{}, orgLocal: map[string]bool{}, afterPlace: map[string]bool{},
	}
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
		m := map[string]map[string]string{"divisions.txt": r.places, "world.txt": r.places, "organizations.txt": r.orgs, "people.txt": r.people}[file]
		for _, n := range names {
			if _, dup := m[n]; !dup {
				m[n] = full
			}
			r.known[n] = true
			r.maxName = max(r.maxName, utf8.RuneCountInString(n))
			for k := range n {
				if k > 0 {
					r.prefix[n[:k]] = true
				}
			}
		}
	case "surnames.txt":
		r.surnames[full] = true
		switch c, rest := firstChar(full); utf8.RuneCountInString(rest) {
		case 0:
			r.chars.set(c, charSurname)
		case 1:
			r.chars.set(c, charSurname2)
		}
	case "surnames_ambiguous.txt":
		r.ambiguous[full] = true
		if c, rest := firstChar(full); rest == "" {
			r.chars.set(c, charAmbiguous)
		}
	case "not_entities.txt":
		r.notEntity[full] = true
	case "transliteration.txt":
		for _, c := range full {
			r.chars.set(c, charTranslit)
		}
	case "person_cues.txt":
		if section == "not_last" || section == "before_last" {
			f := map[string]charFlags{"not_last": charNotLast, "before_last": charBeforeLast}[section]
			for _, c := range full {
				r.chars.set(c, f)
			}
			return
		}
		map[string]map[string]bool{"before": r.before, "after": r.after, "titles": r.titles}[section][full] = true
	case "place_suffixes.txt":
		if section == "final" {
			for _, c := range full {
				r.chars.set(c, charPlaceFinal)
			}
			return
		}
		r.placeSuffix[full] = section
		r.maxSuffix = max(r.maxSuffix, utf8.RuneCountInString(full))
	case "org_suffixes.txt":
		map[string]map[string]bool{"strong": r.orgStrong, "weak": r.orgWeak, "not": r.orgNot, "local": r.orgLocal, "place": r.afterPlace, "legal": r.orgLegal, "trade": r.orgTrade}[section][full] = true
		r.maxSuffix = max(r.maxSuffix, utf8.RuneCountInString(full))
	}
}

// charFlags are what the data files say of one character.
type charFlags uint8

const (
	charSurname    charFlags = 1 << iota // a surname of one character (surnames.txt)
	charSurname2                         // the first character of a two-character surname (欧阳)
	charAmbiguous                        // a surname that is also an everyday word (高, 于)
	charTranslit                         // transliterates foreign names
	charNotLast                          // a name does not end with it
	charBeforeLast                       // ends words for people (服务员)
	charPlaceFinal                       // a place name often ends with it
)

// chars holds the flags of characters: a table for the Basic Multilingual Plane, where
// nearly every name's characters are, so that the rules' many questions about a character
// cost an index rather than a map lookup.
type chars struct {
	bmp   [0x10000]charFlags
	other map[rune]charFlags
}

func (cs *chars) has(c rune, f charFlags) bool {
	if uint32(c) < uint32(len(cs.bmp)) {
		return cs.bmp[c]&f != 0
	}
	return cs.other[c]&f != 0
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

// firstChar returns the first character of s and the rest. A byte that is no UTF-8 is no
// character (c < 0): the surname flags, which stand for strings, skip it.
func firstChar(s string) (c rune, rest string) {
	c, size := utf8.DecodeRuneInString(s)
	if size == 0 || c == utf8.RuneError && size == 1 {
		return -1, s[size:]
	}
	return c, s[size:]
}
