package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestDefaultExamples runs every inline example of the embedded rule set against its rule.
func TestDefaultExamples(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatalf("Default(): %v", err)
	}
	if len(set.Rules) < 10 {
		t.Fatalf("Default() loaded %d rules, want at least 10", len(set.Rules))
	}
	n := 0
	for _, r := range set.Rules {
		if len(r.Examples) == 0 {
			t.Errorf("%s:%d: rule %s has no examples", r.File, r.Line, r.ID)
		}
		for _, ex := range r.Examples {
			n++
			if err := r.CheckExample(ex); err != nil {
				t.Error(err)
			}
		}
	}
	t.Logf("%d rules, %d examples, version %s", len(set.Rules), n, set.Version)
}

func TestVersionChangesWithContent(t *testing.T) {
	a := fstest.MapFS{"a.yaml": {Data: []byte("version: 1\nrules: []\n")}}
	b := fstest.MapFS{"a.yaml": {Data: []byte("version: 1\nrules: []\n# changed\n")}}
	sa, err := Load(a, "")
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Load(b, "")
	if err != nil {
		t.Fatal(err)
	}
	if sa.Version == sb.Version || len(sa.Version) != 12 {
		t.Errorf("versions %q and %q: want two different 12-digit hashes", sa.Version, sb.Version)
	}
}

// TestVersionWith: the version read from the files alone is the loaded set's, with a
// researcher's folder (a rule file and a dictionary), disabled rules, both and neither.
func TestVersionWith(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, body := range map[string]string{
		"extra.yaml":        "version: 1\ndefs:\n  extra_unit: '(?:吨|千克)'\nrules: []\n",
		"organizations.txt": "青石湾渔业联社\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	off := []string{def.Rules[0].ID}
	seen := map[string]string{}
	for _, tc := range []struct {
		name    string
		dirs    []string
		disable []string
	}{
		{"embedded", nil, nil},
		{"a folder", []string{dir}, nil},
		{"a rule off", nil, off},
		{"a folder and a rule off", []string{dir}, off},
	} {
		set, err := LoadWith(tc.dirs, tc.disable)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		v, err := VersionWith(tc.dirs, tc.disable)
		if err != nil || v != set.Version {
			t.Errorf("%s: VersionWith %q, %v; the loaded set's is %q", tc.name, v, err, set.Version)
		}
		if other, ok := seen[set.Version]; ok {
			t.Errorf("%s and %s: the same version %s", other, tc.name, set.Version)
		}
		seen[set.Version] = tc.name
	}
	if _, err := VersionWith([]string{filepath.Join(dir, "missing")}, nil); err == nil {
		t.Error("VersionWith of a missing folder: no error")
	}
}

// TestInvalidRules loads each file of testdata/rules/invalid/ and compares the error with the
// .err file beside it: one fault per file, named for the fault.
func TestInvalidRules(t *testing.T) {
	dir := filepath.Join("..", "testdata", "rules", "invalid")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no invalid rule files")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
			if err != nil {
				t.Fatal(err)
			}
			_, lerr := Load(fstest.MapFS{name: {Data: data}}, "")
			if lerr == nil {
				t.Fatalf("Load(%s) = nil error, want %q", name, want)
			}
			if got := lerr.Error(); strings.TrimSpace(got) != strings.TrimSpace(string(want)) {
				t.Errorf("Load(%s) error:\n%s\nwant:\n%s", name, got, want)
			}
		})
	}
}

// TestSqueeze: squeeze's shortcut for texts without spaces or traditional forms gives what the
// Replacer gives.
func TestSqueeze(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"300", "300"}, {"一百五十二", "一百五十二"}, {"七 万5\u3000千", "七万5千"}, {"四万万", "四亿"},
		{"五萬萬", "五亿"}, {"兩萬", "兩万"}, {"倆億", "两亿"}, {"1\t2\u00a03", "123"}, {"", ""},
	} {
		if got := squeeze(tc.in); got != tc.want || got != squeezer.Replace(tc.in) {
			t.Errorf("squeeze(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestBareNumberReason: a bare number comes back dropped with the reason explain prints.
func TestBareNumberReason(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Rules {
		if r.ID != "number.figure" {
			continue
		}
		got := r.MatchUnfiltered("共有12个", Context{RefDate: DefaultExampleDate})
		if len(got) != 1 || got[0].Dropped != `failed normalization: "12" is a bare number` {
			t.Errorf("number.figure over 共有12个: %+v, want 12 dropped as a bare number", got)
		}
		if kept := r.MatchKept("共有12个", 0, len("共有12个"), Context{RefDate: DefaultExampleDate}); kept != nil {
			t.Errorf("MatchKept keeps %+v", kept)
		}
		return
	}
	t.Fatal("no rule number.figure")
}

// TestExpand: {{name}} takes its def's pattern, recursively and in a group; what is not a
// reference stays as written, and an unknown def is left in place with an error.
func TestExpand(t *testing.T) {
	defs := map[string]string{"a": "1{{b}}", "b": "[0-9]", "a_1": "x", "loop": "{{loop}}"}
	for _, tc := range []struct{ in, want, err string }{
		{"{{a}}元", "(?:1(?:[0-9]))元", ""},
		{"{{{a}}}", "{(?:1(?:[0-9]))}", ""},
		{"x{{a_1}}y{{b}}", "x(?:x)y(?:[0-9])", ""},
		{"{{A}} {{}} {{a} {{a }} 汉{{", "{{A}} {{}} {{a} {{a }} 汉{{", ""},
		{"{{zz}}{{b}}", "{{zz}}(?:[0-9])", "unknown def {{zz}}"},
		{"{{loop}}", "", "defs refer to each other in a loop"},
	} {
		got, err := expand(tc.in, defs, 0)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %s", tc.in, err, tc.err)
			}
			if tc.want == "" {
				continue
			}
		} else if err != nil {
			t.Errorf("%q: %v", tc.in, err)
		}
		if got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestQualKey: qualKey, which skips the Replacer when none of what it replaces is there, gives
// what the Replacer gives, on every qualifier word of the default set and on spaced, joined
// and full-width variants of them.
func TestQualKey(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	slow := func(s string) string {
		s = qualJoins.Replace(s)
		if k := strings.TrimRight(s, "有是为了"); k != "" {
			return k
		}
		return s
	}
	words := []string{"", " ", "或", "或者", "及", "\u3000", "大于或等于", "及以上", "至少有", "超过了", "近 ", "以上　", "有", "是为"}
	for w := range set.Maps["qualifiers"] {
		words = append(words, w, w+" ", "\u3000"+w, w+"或者", w+"及", w+"有")
	}
	for _, w := range words {
		if got, want := qualKey(w), slow(w); got != want {
			t.Errorf("qualKey(%q) = %q, want %q", w, got, want)
		}
	}
	if len(set.Maps["qualifiers"]) == 0 {
		t.Error("the default set has no qualifiers map")
	}
}

// TestMatchesEmpty: a rule's pattern is checked for matching the empty text without compiling
// its regexp; matchesEmpty must say what the regexp says, on patterns of every shape and on
// every pattern of the default set.
func TestMatchesEmpty(t *testing.T) {
	patterns := []string{
		``, `a`, `a*`, `a?`, `a+`, `(a)`, `(?:a|)`, `a{0,3}`, `a{2}`, `(?:a*){2}`, `[a-z]`, `[^a]*`,
		`^`, `$`, `^$`, `\A`, `\z`, `(?m)^$`, `\b`, `\B`, `\ba*`, `\B(?:x|)`, `(?:a|b*)c?`,
		`(?:a|b)(?:c|d*)`, `.`, `.*`, `(?s).`, `[^\x00-\x{10FFFF}]`, `(?i)k*`, `x|^`, `(?:)+`,
	}
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Rules {
		patterns = append(patterns, r.expanded)
		for _, p := range []string{r.RejectBefore, r.RejectAfter} {
			if p != "" {
				patterns = append(patterns, p)
			}
		}
	}
	empty := 0
	for _, p := range patterns {
		parsed, err := syntax.Parse(p, syntax.Perl)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		want := regexp.MustCompile(p).MatchString("")
		if got := matchesEmpty(parsed); got != want {
			t.Errorf("matchesEmpty(%q) = %v, regexp says %v", p, got, want)
		}
		if want {
			empty++
		}
	}
	if empty == 0 || empty == len(patterns) {
		t.Errorf("%d of %d patterns match the empty text: the table tests one answer only", empty, len(patterns))
	}
}

// TestExpanderRemembers: an expander that remembers the defs it expanded gives, pattern after
// pattern and in any order, what a fresh expansion gives: the same text, and the same error
// where the defs go too deep or are unknown.
func TestExpanderRemembers(t *testing.T) {
	defs := map[string]string{"a": "1{{b}}", "b": "[0-9]", "loop": "{{loop}}", "bad": "{{zz}}"}
	for i := range 10 { // d0 → d1 → … → d10 → b: {{d1}} goes eleven levels down, {{d2}} ten
		defs[fmt.Sprintf("d%d", i)] = fmt.Sprintf("x{{d%d}}", i+1)
	}
	defs["d10"] = "{{b}}"
	patterns := []string{"{{a}}", "{{d9}}", "{{d1}}", "{{d0}}", "{{d2}}{{a}}", "{{d1}}", "{{loop}}",
		"{{bad}}{{b}}", "{{d0}}", "{{a}}{{a}}", "{{d3}}", "{{d2}}"}
	for pass, ps := range [][]string{patterns, reversed(patterns)} {
		ex := &expander{defs: defs}
		for _, p := range ps {
			want, wantErr := expand(p, defs, 0)
			got, _, err := ex.expand(p, 0)
			if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("pass %d, %s: %q, %v; fresh: %q, %v", pass, p, got, err, want, wantErr)
			}
		}
		if len(ex.done) == 0 {
			t.Errorf("pass %d: nothing remembered", pass)
		}
	}
	if _, err := expand("{{d1}}", defs, 0); err == nil {
		t.Error("{{d1}}: eleven levels of defs, want an error")
	}
	if _, err := expand("{{d2}}", defs, 0); err != nil {
		t.Errorf("{{d2}}: ten levels of defs: %v", err)
	}
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}
