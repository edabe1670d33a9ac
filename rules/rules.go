package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Kinds a rule may produce: the kinds of the JSON Lines contract that are figures or dates.
var Kinds = map[string]bool{
	"money": true, "count": true, "percent": true, "quantity": true, "number": true,
	"ordinal": true, "duration": true, "date": true,
}

// Set is a loaded, checked and compiled rule set. It is read-only and safe for concurrent use.
type Set struct {
	Rules   []*Rule
	Maps    map[string]map[string]string
	Version string // a hash of every file in force; written into every row
	Files   []string
	Data    map[string][]DataFile // plain-text dictionaries by file name, one per folder that has it

	filterOnce sync.Once // builds filter on first use (Filter)
	filter     *Filter
}

// DataFile is one plain-text dictionary file (lexicon.txt, confusables.txt …).
type DataFile struct {
	Path  string
	Bytes []byte
}

// Rule is one compiled extraction rule.
type Rule struct {
	ID          string
	Kind        string
	Description string
	Pattern     string // as written, before {{def}} expansion
	Normalize   string // name of the normaliser: amount, percent, date
	Unit        string // a fixed unit, when the pattern has no unit group
	UnitMap     string // the map that turns the unit group's text into a unit
	Priority    int    // breaks ties between overlapping candidates of the same length
	Examples    []Example

	RejectBefore string // a pattern the text just before the match must not match (…$)
	RejectAfter  string // a pattern the text just after the match must not match (^…)

	File string
	Line int
	pos  map[string]*yaml.Node // where each field's value was written, for errors

	expanded     string   // the pattern with its defs expanded (what the regexp and automata are of)
	names        []string // the groups' names by number, as the regexp's SubexpNames gives them
	reOnce       sync.Once
	re           *regexp.Regexp // compiled on first use (regex): the automata do without it
	required     string         // runes one of which every match contains (prefilter.go)
	simple       *syntax.Regexp // re's pattern parsed and simplified, for the prefilters and automaton
	dfaOnce      sync.Once      // builds the three automata below on first use, and sets norm
	norm         normalizer     // normalizers[Normalize], looked up once
	memoID       uint64         // the rule's number in a Matcher's memo (memo.go), set with norm
	qGroupsOnce  sync.Once      // sets qGroups and rangeGroups (qualifierGroups)
	qGroups      []string
	rangeGroups  []groupID      // those of num2, month2, day2 and year2 the pattern has (a range's second end)
	groupSlots   []slot         // where each group goes in a groups value (groups.go), by group number
	dfa          *dfa           // where matches begin and end (dfa.go); nil: the regexp alone
	beforeDFA    *dfa           // rejectBefore's automaton, or nil
	afterDFA     *dfa           // rejectAfter's automaton, or nil
	contextOnce  sync.Once      // compiles the two below, on first use (contextRegexps)
	rejectBefore *regexp.Regexp // RejectBefore's regexp, or nil
	rejectAfter  *regexp.Regexp
	set          *Set
}

// Example is an inline example: a text and the fields the rule must produce from it, or
// None for a negative example.
type Example struct {
	Text    string
	PubDate string
	Want    map[string]any
	None    bool
	Line    int
}

// fileDoc is the shape of a rule file; rules are decoded from their nodes to keep positions.
type fileDoc struct {
	Version int                          `yaml:"version"`
	Defs    map[string]string            `yaml:"defs"`
	Maps    map[string]map[string]string `yaml:"maps"`
	Rules   []yaml.Node                  `yaml:"rules"`
}

var ruleFields = map[string]bool{
	"id": true, "kind": true, "description": true, "pattern": true, "normalize": true,
	"unit": true, "unit_map": true, "priority": true, "examples": true,
	"reject_before": true, "reject_after": true,
}

var exampleFields = map[string]bool{"text": true, "want": true, "pub_date": true}

// Source is one folder of rule files: the embedded defaults, or a researcher's directory.
type Source struct {
	FS     fs.FS
	Prefix string // prepended to file names in errors and in Set.Files
}

// Load reads every *.yaml file of fsys (sorted by name), checks and compiles the rules, and
// returns every problem at once. Names in errors are prefix + the file's path in fsys.
func Load(fsys fs.FS, prefix string) (*Set, error) {
	return LoadLayers([]Source{{fsys, prefix}}, nil)
}

// LoadLayers loads several folders of rule files, each over the ones before it: a later
// folder's defs and map entries override earlier ones, and a rule with the id of an earlier
// folder's rule replaces it in place. Rules whose ids are in disable are switched off. Plain-text
// dictionaries (*.txt) are collected in Set.Data. The version hashes every file in force.
func LoadLayers(srcs []Source, disable []string) (*Set, error) {
	var errs ErrorList
	set := &Set{Maps: map[string]map[string]string{}, Data: map[string][]DataFile{}}
	defs := map[string]string{}
	h := sha256.New()
	type pending struct {
		node  *yaml.Node
		file  string
		src   []string
		layer int
	}
	var nodes []pending
	err := readSources(srcs, h, func(layer int, file, name string, data []byte) {
		if strings.HasSuffix(name, ".txt") {
			set.Data[name] = append(set.Data[name], DataFile{Path: file, Bytes: data})
			return
		}
		set.Files = append(set.Files, file)
		var doc fileDoc
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&doc); err != nil && err != io.EOF {
			errs = append(errs, yamlError(file, err))
			return
		}
		src := strings.Split(string(data), "\n")
		for k, v := range doc.Defs {
			defs[k] = v
		}
		for m, tbl := range doc.Maps {
			if set.Maps[m] == nil {
				set.Maps[m] = map[string]string{}
			}
			for k, v := range tbl {
				set.Maps[m][k] = v
			}
		}
		for i := range doc.Rules {
			nodes = append(nodes, pending{&doc.Rules[i], file, src, layer})
		}
	})
	if err != nil {
		return nil, err
	}
	set.Version = version(h, disable)

	seen := map[string]*Rule{}
	layerOf := map[string]int{}
	index := map[string]int{}
	ex := &expander{defs: defs} // every file's defs are in
	for _, p := range nodes {
		r, perrs := decodeRule(p.node, p.file, p.src)
		errs = append(errs, perrs...)
		if r == nil {
			continue
		}
		if prev, ok := seen[r.ID]; ok && layerOf[r.ID] == p.layer {
			errs = append(errs, at(p.file, p.src, p.node, fmt.Sprintf("duplicate rule id %q (first defined at %s:%d)", r.ID, prev.File, prev.Line), "every rule needs its own id; to replace a rule, give the new one a new id or remove the old one"))
			continue
		}
		r.set = set
		errs = append(errs, r.compile(ex, set.Maps, p.src)...)
		if _, ok := seen[r.ID]; ok {
			// A later folder's rule replaces the earlier one where it stood.
			set.Rules[index[r.ID]] = r
		} else {
			index[r.ID] = len(set.Rules)
			set.Rules = append(set.Rules, r)
		}
		seen[r.ID] = r
		layerOf[r.ID] = p.layer
	}
	off := map[string]bool{}
	for _, id := range disable {
		if seen[id] == nil {
			errs = append(errs, &Error{File: "configuration", Line: 1, Col: 1, Msg: fmt.Sprintf("rules.disable: no rule has the id %q", id), Hint: "newsfacts rules check lists the rules in force"})
		}
		off[id] = true
	}
	if len(off) > 0 {
		kept := set.Rules[:0]
		for _, r := range set.Rules {
			if !off[r.ID] {
				kept = append(kept, r)
			}
		}
		set.Rules = kept
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return set, nil
}

// readSources reads the files of every folder as the version counts them: each folder's
// dictionaries (*.txt), then its rule files (*.yaml), sorted by name, each written into h
// with its folder, name and length, and handed to each with its name in errors (file).
func readSources(srcs []Source, h hash.Hash, each func(layer int, file, name string, data []byte)) error {
	for layer, srcFS := range srcs {
		fsys, prefix := srcFS.FS, srcFS.Prefix
		names, err := fs.Glob(fsys, "*.yaml")
		if err != nil {
			return err
		}
		sort.Strings(names)
		txts, _ := fs.Glob(fsys, "*.txt")
		sort.Strings(txts)
		for _, name := range txts {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%d\x00%s\x00%d\x00", layer, name, len(data))
			h.Write(data)
			each(layer, prefix+name, name, data)
		}
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return err
			}
			if layer == 0 {
				fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
			} else {
				fmt.Fprintf(h, "%d\x00%s\x00%d\x00", layer, name, len(data))
			}
			h.Write(data)
			each(layer, prefix+name, name, data)
		}
	}
	return nil
}

// VersionWith returns the Version of the rule set LoadWith(dirs, disable) would load, from the
// files alone, without compiling them (a millisecond instead of tens): what a run compares
// with the version of the rows already written before it has loaded the rules.
func VersionWith(dirs []string, disable []string) (string, error) {
	srcs, err := sourcesWith(dirs)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if err := readSources(srcs, h, func(int, string, string, []byte) {}); err != nil {
		return "", err
	}
	return version(h, disable), nil
}

// version is a rule set's Version: h holds its files (readSources), and the rules switched off
// count too.
func version(h hash.Hash, disable []string) string {
	if len(disable) > 0 {
		fmt.Fprintf(h, "disable\x00%s", strings.Join(disable, ","))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func decodeRule(n *yaml.Node, file string, src []string) (*Rule, []*Error) {
	var errs []*Error
	if n.Kind != yaml.MappingNode {
		return nil, []*Error{at(file, src, n, "a rule must be a mapping of fields", "start each rule with '- id: ...'")}
	}
	r := &Rule{File: file, Line: n.Line, pos: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		r.pos[k.Value] = v
		if !ruleFields[k.Value] {
			errs = append(errs, at(file, src, k, fmt.Sprintf("unknown field %q in a rule", k.Value), "rule fields are: "+fieldList(ruleFields)))
			continue
		}
		var err error
		switch k.Value {
		case "id":
			r.ID = v.Value
		case "kind":
			r.Kind = v.Value
		case "description":
			r.Description = v.Value
		case "pattern":
			r.Pattern = v.Value
		case "normalize":
			r.Normalize = v.Value
		case "unit":
			r.Unit = v.Value
		case "unit_map":
			r.UnitMap = v.Value
		case "reject_before":
			r.RejectBefore = v.Value
		case "reject_after":
			r.RejectAfter = v.Value
		case "priority":
			err = v.Decode(&r.Priority)
		case "examples":
			ex, eerrs := decodeExamples(v, file, src)
			r.Examples = ex
			errs = append(errs, eerrs...)
		}
		if err != nil {
			errs = append(errs, at(file, src, v, fmt.Sprintf("field %s: %v", k.Value, err), ""))
		}
	}
	if r.ID == "" {
		errs = append(errs, at(file, src, n, "rule has no id", "give every rule a stable dotted id, e.g. money.amount"))
		return nil, errs
	}
	if r.Pattern == "" {
		errs = append(errs, at(file, src, n, fmt.Sprintf("rule %s has no pattern", r.ID), "every rule needs a pattern: an RE2 regular expression with named groups"))
		return nil, errs
	}
	if !Kinds[r.Kind] {
		errs = append(errs, at(file, src, r.node("kind", n), fmt.Sprintf("rule %s: unknown kind %q", r.ID, r.Kind), "kinds are: "+fieldList(Kinds)))
	}
	if _, ok := normalizers[r.Normalize]; !ok {
		errs = append(errs, at(file, src, r.node("normalize", n), fmt.Sprintf("rule %s: unknown normalize %q", r.ID, r.Normalize), "normalisers are: "+normalizerList()))
	}
	return r, errs
}

func decodeExamples(n *yaml.Node, file string, src []string) ([]Example, []*Error) {
	var errs []*Error
	if n.Kind != yaml.SequenceNode {
		return nil, []*Error{at(file, src, n, "examples must be a list", "")}
	}
	var out []Example
	for _, en := range n.Content {
		ex := Example{Line: en.Line}
		if en.Kind != yaml.MappingNode {
			errs = append(errs, at(file, src, en, "an example must be a mapping with text and want", ""))
			continue
		}
		for i := 0; i+1 < len(en.Content); i += 2 {
			k, v := en.Content[i], en.Content[i+1]
			switch {
			case !exampleFields[k.Value]:
				errs = append(errs, at(file, src, k, fmt.Sprintf("unknown field %q in an example", k.Value), "example fields are: "+fieldList(exampleFields)))
			case k.Value == "text":
				ex.Text = v.Value
			case k.Value == "pub_date":
				ex.PubDate = v.Value
			case k.Value == "want" && v.Kind == yaml.ScalarNode && v.Value == "none":
				ex.None = true
			case k.Value == "want":
				w, err := decodeWant(v)
				if err != nil {
					errs = append(errs, at(file, src, v, "want: "+err.Error(), "want is a mapping of expected fields, or the word none"))
				}
				ex.Want = w
			}
		}
		if ex.Text == "" {
			errs = append(errs, at(file, src, en, "example without text", ""))
		}
		if !ex.None && ex.Want == nil {
			errs = append(errs, at(file, src, en, "example without want", "write want: none for a negative example"))
		}
		out = append(out, ex)
	}
	return out, errs
}

// decodeWant reads an example's expected fields: numbers as float64, everything else as the
// text written (so that date: 2023-10-29 stays a string, not a timestamp).
func decodeWant(n *yaml.Node) (map[string]any, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a mapping")
	}
	w := map[string]any{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("field %s: want a single value", k.Value)
		}
		switch v.Tag {
		case "!!int", "!!float":
			var f float64
			if err := v.Decode(&f); err != nil {
				return nil, fmt.Errorf("field %s: %v", k.Value, err)
			}
			w[k.Value] = f
		case "!!null":
			w[k.Value] = nil
		default:
			w[k.Value] = v.Value
		}
	}
	return w, nil
}

// expand replaces {{name}} (name of a-z, 0-9 and _) with the def's pattern, recursively. It
// scans by hand: expanding the defaults' defs with a regexp was a tenth of loading them.
func expand(p string, defs map[string]string, depth int) (string, error) {
	x, _, err := (&expander{defs: defs}).expand(p, depth)
	return x, err
}

// expander expands patterns with one set of defs, and remembers each def it expanded without
// error: the rules of the default set name the same few defs ({{number}}, {{sp}}) hundreds of
// times, and expanding them again was a twelfth of loading the set.
type expander struct {
	defs map[string]string
	done map[string]expansion
}

// expansion is a def expanded, and how many levels of defs its expansion went down.
type expansion struct {
	text   string
	height int
}

// expand is expand(p, e.defs, depth), and how many levels of defs below p it went down.
func (e *expander) expand(p string, depth int) (string, int, error) {
	if depth > 10 {
		return "", 0, fmt.Errorf("defs refer to each other in a loop")
	}
	height := 0
	var err error
	var b strings.Builder
	done := 0 // p[:done] is in b
	for i := 0; i+1 < len(p); i++ {
		if p[i] != '{' || p[i+1] != '{' {
			continue
		}
		j := i + 2
		for j < len(p) && (p[j] >= 'a' && p[j] <= 'z' || p[j] >= '0' && p[j] <= '9' || p[j] == '_') {
			j++
		}
		if j == i+2 || j+1 >= len(p) || p[j] != '}' || p[j+1] != '}' {
			continue
		}
		name := p[i+2 : j]
		b.WriteString(p[done:i])
		done = j + 2
		d, ok := e.defs[name]
		if !ok {
			err = fmt.Errorf("unknown def {{%s}}", name)
			b.WriteString(p[i:done])
		} else {
			// A def remembered is used where expanding it again would not go too deep.
			x, ok := e.done[name]
			if !ok || depth+1+x.height > 10 {
				var xerr error
				if x.text, x.height, xerr = e.expand(d, depth+1); xerr != nil {
					err = xerr
				} else {
					if e.done == nil {
						e.done = map[string]expansion{}
					}
					e.done[name] = x
				}
			}
			height = max(height, x.height+1)
			b.WriteString("(?:" + x.text + ")")
		}
		i = done - 1
	}
	if done == 0 {
		return p, height, err
	}
	b.WriteString(p[done:])
	return b.String(), height, err
}

// node returns the value node of a field, or def when the field was not written.
func (r *Rule) node(field string, def *yaml.Node) *yaml.Node {
	if n := r.pos[field]; n != nil {
		return n
	}
	return def
}

func (r *Rule) compile(defs *expander, maps map[string]map[string]string, src []string) []*Error {
	var errs []*Error
	field := "pattern"
	fail := func(msg, hint string) {
		e := &Error{File: r.File, Line: r.Line, Col: 1, Msg: fmt.Sprintf("rule %s: %s", r.ID, msg), Source: lineOf(src, r.Line), Hint: hint}
		if n := r.pos[field]; n != nil {
			e.Line, e.Col, e.Source = n.Line, n.Column, lineOf(src, n.Line)
		}
		errs = append(errs, e)
	}
	p, _, err := defs.expand(r.Pattern, 0)
	if err != nil {
		fail(err.Error(), "defs are declared under defs: in any rule file")
		return errs
	}
	// The pattern is parsed once, as regexp.Compile parses it (the same errors); the regexp itself
	// is compiled only if something needs it (regex), which the automata spare a run.
	parsed, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		fail("pattern does not compile: "+err.Error(), "patterns are Go RE2: no look-behind or back-references; use \\p{Han} for 汉字")
		return errs
	}
	r.expanded, r.names = p, parsed.CapNames()
	r.simple = parsed.Simplify()
	r.required = prefilter(r.simple)
	if matchesEmpty(parsed) {
		fail("pattern matches the empty string", "make at least one part of the pattern required")
	}
	field = "unit_map"
	if r.UnitMap != "" && maps[r.UnitMap] == nil {
		fail(fmt.Sprintf("unit_map %q is not a map in any rule file", r.UnitMap), "declare it under maps:")
	}
	field = "reject_before"
	if r.RejectBefore != "" {
		if _, err := syntax.Parse(r.RejectBefore, syntax.Perl); err != nil {
			fail("reject_before does not compile: "+err.Error(), "")
		}
	}
	field = "reject_after"
	if r.RejectAfter != "" {
		if _, err := syntax.Parse(r.RejectAfter, syntax.Perl); err != nil {
			fail("reject_after does not compile: "+err.Error(), "")
		}
	}
	field = "pattern"
	if n, ok := normalizers[r.Normalize]; ok {
		for _, g := range r.names {
			if g != "" && !n.uses(g) {
				fail(fmt.Sprintf("named group %q is not read by normaliser %s", g, r.Normalize), "groups it reads: "+strings.Join(n.groups, ", ")+", and q… for qualifiers")
			}
		}
		for _, g := range n.required {
			if !slices.Contains(r.names, g) {
				fail(fmt.Sprintf("normaliser %s needs a named group %q", r.Normalize, g), "")
			}
		}
	}
	return errs
}

// regex returns the rule's pattern compiled, in longest mode; it is compiled on first use, for
// the few callers the automaton does not serve (a pattern without one, tests).
func (r *Rule) regex() *regexp.Regexp {
	r.reOnce.Do(func() {
		r.re = regexp.MustCompile(r.expanded) // parsed when the rule was compiled
		r.re.Longest()
	})
	return r.re
}

// contextRegexps returns the regexps of reject_before and reject_after (nil for those the rule
// lacks), compiled on first use: only a context without an automaton needs its regexp.
func (r *Rule) contextRegexps() (before, after *regexp.Regexp) {
	r.contextOnce.Do(func() {
		if r.RejectBefore != "" {
			r.rejectBefore = regexp.MustCompile(r.RejectBefore) // parsed when the rule was compiled
		}
		if r.RejectAfter != "" {
			r.rejectAfter = regexp.MustCompile(r.RejectAfter)
		}
	})
	return r.rejectBefore, r.rejectAfter
}

// matchesEmpty reports whether re (parsed) matches the empty text, as its regexp's
// MatchString("") would: every assertion but \b holds there.
func matchesEmpty(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpNoWordBoundary, syntax.OpStar, syntax.OpQuest:
		return true
	case syntax.OpLiteral:
		return len(re.Rune) == 0
	case syntax.OpCapture, syntax.OpPlus:
		return matchesEmpty(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min == 0 || matchesEmpty(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !matchesEmpty(sub) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if matchesEmpty(sub) {
				return true
			}
		}
	}
	return false // a character, a class, \b, no match
}

func at(file string, src []string, n *yaml.Node, msg, hint string) *Error {
	return &Error{File: file, Line: n.Line, Col: n.Column, Msg: msg, Source: lineOf(src, n.Line), Hint: hint}
}

func lineOf(src []string, line int) string {
	if line < 1 || line > len(src) {
		return ""
	}
	return src[line-1]
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlError(file string, err error) *Error {
	e := &Error{File: file, Line: 1, Col: 1, Msg: err.Error()}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		fmt.Sscan(m[1], &e.Line)
	}
	return e
}

func fieldList(m map[string]bool) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// Default returns the rule set embedded in the binary.
func Default() (*Set, error) {
	return LoadWith(nil, nil)
}

// LoadWith returns the embedded rule set overridden and extended by each directory in dirs, in
// order, with the rules whose ids are in disable switched off.
func LoadWith(dirs []string, disable []string) (*Set, error) {
	srcs, err := sourcesWith(dirs)
	if err != nil {
		return nil, err
	}
	return LoadLayers(srcs, disable)
}

// sourcesWith is the embedded rules' folder, then each directory of dirs.
func sourcesWith(dirs []string) ([]Source, error) {
	sub, err := fs.Sub(defaultFS, "default")
	if err != nil {
		return nil, err
	}
	srcs := []Source{{sub, path.Join("rules", "default") + "/"}}
	for _, d := range dirs {
		st, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("rules directory %s: %w", d, err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("rules directory %s: not a directory", d)
		}
		srcs = append(srcs, Source{os.DirFS(d), strings.TrimSuffix(d, "/") + "/"})
	}
	return srcs, nil
}
