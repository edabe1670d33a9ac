package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// medalRules is a researcher's folder that changes the defaults three ways over testdata/pages:
// a new rule (count.medal: 一金, 一铜 in the headline and again in the text), a rule that wins
// 两艘 and 一艘 from count.classifier with another unit (count.vessel), and — with
// --rules.disable duration.months — a default rule switched off, so that 3个月 is lost and
// count.classifier finds 3个 in its place.
const medalRules = `version: 1
maps:
  medals: {金: gold, 银: silver, 铜: bronze}
  vessels: {艘: ship}
rules:
  - id: count.medal
    kind: count
    description: 一金一铜 — medals won
    pattern: '(?P<num>{{cnd}})(?P<unit>[金银铜])'
    normalize: amount
    unit_map: medals
    examples:
      - text: 拿下一金一铜
        want: {text: 一金, value: 1, unit: gold}
  - id: count.vessel
    kind: count
    pattern: '(?P<num>{{number}})(?P<unit>艘)'
    normalize: amount
    unit_map: vessels
    priority: 5
    examples:
      - text: 两艘渔船
        want: {value: 2, unit: ship}
`

func writeRuleDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// jsonDiff is diff --json's output as a consumer reads it.
type jsonDiff struct {
	Rules, Against struct {
		Paths   []string `json:"paths"`
		Version string   `json:"version"`
		Rules   int      `json:"rules"`
		Facts   int      `json:"facts"`
	}
	Documents int `json:"documents"`
	Failed    int `json:"failed"`
	Unchanged int `json:"unchanged"`
	Gained    jsonCategory
	Lost      jsonCategory
	Changed   jsonCategory
}

type jsonCategory struct {
	Count  int `json:"count"`
	Groups []struct {
		Rule     string `json:"rule"`
		Count    int    `json:"count"`
		Examples []struct {
			DocID   string `json:"doc_id"`
			Kind    string `json:"kind"`
			Text    string `json:"text"`
			Start   int    `json:"start"`
			End     int    `json:"end"`
			Unit    string `json:"unit"`
			Rule    string `json:"rule"`
			Changes []struct {
				Field, From, To string
			} `json:"changes"`
			Before, After struct {
				Rule string `json:"rule"`
				Unit string `json:"unit"`
			}
		} `json:"examples"`
	} `json:"by_rule"`
}

// summary reduces a category to "rule=count:text text …" per group, in the order printed.
func (c jsonCategory) summary() string {
	var parts []string
	for _, g := range c.Groups {
		var texts []string
		for _, ex := range g.Examples {
			texts = append(texts, ex.Text)
		}
		parts = append(parts, g.Rule+"="+itoa(g.Count)+":"+strings.Join(texts, " "))
	}
	return strings.Join(parts, " | ")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestDiffText(t *testing.T) {
	dir := writeRuleDir(t, map[string]string{"medals.yaml": medalRules})
	code, out, stderr := newsfacts(t, "", "diff", "--rules", dir, "--rules.disable", "duration.months", "--examples", "2", "../../testdata/pages")
	if code != exitOK {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	page := "../../testdata/pages/000_db8b3177b1dab977.txt"
	for _, want := range []string{
		"rules:    defaults + " + dir + " − duration.months (",
		"against:  the embedded defaults (",
		"gained 5, lost 1, changed 2, unchanged ",
		"\ngained: 5\n  count.medal                  +4\n      " + page + " [55,57) 一金  count 1 gold exact\n      " + page + " [57,59) 一铜  count 1 bronze exact\n      … 2 more\n",
		"  count.classifier             +1\n      " + page + " [1149,1151) 3个  count 3 个 exact\n",
		"\nlost: 1\n  duration.months              -1\n      " + page + " [1149,1152) 3个月  duration 3 month exact\n",
		"\nchanged: 2\n  count.classifier → count.vessel ~2\n      " + page + " [1471,1473) 两艘  unit 艘 → ship\n      " + page + " [1483,1485) 一艘  unit 艘 → ship\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
}

func TestDiffJSON(t *testing.T) {
	dir := writeRuleDir(t, map[string]string{"medals.yaml": medalRules})
	code, out, stderr := newsfacts(t, "", "diff", "--json", "--examples", "-1", "--rules", dir, "--rules.disable", "duration.months", "--against", "default", "../../testdata/pages")
	if code != exitOK {
		t.Fatalf("diff --json: exit %d: %s", code, stderr)
	}
	var d jsonDiff
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("diff --json is not one JSON object: %v\n%s", err, out)
	}
	if d.Documents != 2 || d.Failed != 0 || len(d.Rules.Paths) != 1 || d.Rules.Paths[0] != dir || len(d.Against.Paths) != 0 {
		t.Errorf("diff --json header: %+v", d)
	}
	if d.Rules.Rules != d.Against.Rules+1 || d.Rules.Version == d.Against.Version {
		t.Errorf("two rules added and one disabled: %d rules (version %s) against %d (version %s)", d.Rules.Rules, d.Rules.Version, d.Against.Rules, d.Against.Version)
	}
	// Every baseline fact is unchanged, changed or lost; every new one unchanged, changed or gained.
	if d.Against.Facts != d.Unchanged+d.Changed.Count+d.Lost.Count || d.Rules.Facts != d.Unchanged+d.Changed.Count+d.Gained.Count {
		t.Errorf("counts do not add up: %+v", d)
	}
	for _, tc := range []struct {
		name string
		c    jsonCategory
		want string
	}{
		{"gained", d.Gained, "count.medal=4:一金 一铜 一金 一铜 | count.classifier=1:3个"},
		{"lost", d.Lost, "duration.months=1:3个月"},
		{"changed", d.Changed, "count.classifier → count.vessel=2:两艘 一艘"},
	} {
		if got := tc.c.summary(); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	ch := d.Changed.Groups[0].Examples[0]
	if len(ch.Changes) != 1 || ch.Changes[0].Field != "unit" || ch.Changes[0].From != "艘" || ch.Changes[0].To != "ship" ||
		ch.Before.Rule != "count.classifier" || ch.After.Rule != "count.vessel" || ch.Start != 1471 || ch.End != 1473 {
		t.Errorf("changed example: %+v", ch)
	}
	if g := d.Gained.Groups[0].Examples[0]; g.DocID != "../../testdata/pages/000_db8b3177b1dab977.txt" || g.Kind != "count" || g.Unit != "gold" || g.Rule != "count.medal" {
		t.Errorf("gained example: %+v", g)
	}
}

// TestDiffAgainstDir: the baseline is a directory too; jsonl on standard input; CI's
// --fail-on-change; a broken baseline names its file and line.
func TestDiffAgainstDir(t *testing.T) {
	medals := writeRuleDir(t, map[string]string{"medals.yaml": medalRules})
	// The baseline has the medal rule with another unit: a change, not a gain.
	old := writeRuleDir(t, map[string]string{"medals.yaml": strings.Replace(medalRules, "金: gold", "金: au", 1)})
	stdin := `{"id":"a","text":"拿下一金一铜。","pub_date":"2023-11-01"}` + "\n" + `{"id":"b","text":"两艘船。"}` + "\n"
	code, out, stderr := newsfacts(t, stdin, "diff", "--json", "--input-format", "jsonl", "--rules", medals, "--against", old)
	var d jsonDiff
	if code != exitOK || json.Unmarshal([]byte(out), &d) != nil {
		t.Fatalf("diff --against DIR: exit %d, %s %s", code, out, stderr)
	}
	if d.Documents != 2 || d.Gained.Count != 0 || d.Lost.Count != 0 || d.Changed.summary() != "count.medal=1:一金" || d.Unchanged != 2 {
		t.Errorf("diff --against DIR: %+v", d)
	}
	if ex := d.Changed.Groups[0].Examples[0]; ex.DocID != "a" || ex.Changes[0].From != "au" || ex.Changes[0].To != "gold" {
		t.Errorf("diff --against DIR: changed %+v", ex)
	}

	code, out, _ = newsfacts(t, stdin, "diff", "--input-format", "jsonl", "--fail-on-change", "--rules", medals, "--against", old)
	if code != exitFatal || !strings.Contains(out, "changed: 1") {
		t.Errorf("--fail-on-change with a change: exit %d, %s", code, out)
	}
	code, out, _ = newsfacts(t, stdin, "diff", "--input-format", "jsonl", "--fail-on-change", "--rules", medals, "--against", medals)
	if code != exitOK || !strings.Contains(out, "no differences") || !strings.Contains(out, "unchanged 3") {
		t.Errorf("--fail-on-change, same rules: exit %d, %s", code, out)
	}

	broken := writeRuleDir(t, map[string]string{"broken.yaml": "version: 1\nrules:\n  - id: x.y\n    kind: money\n    pattern: '(?P<num>[0-9]+'\n    normalize: amount\n"})
	code, _, stderr = newsfacts(t, stdin, "diff", "--input-format", "jsonl", "--against", broken)
	if code != exitFatal || !strings.Contains(stderr, "--against: "+broken+"/broken.yaml:5:14: rule x.y: pattern does not compile") {
		t.Errorf("broken --against: exit %d, %s", code, stderr)
	}
	code, _, stderr = newsfacts(t, stdin, "diff", "--against", "default", "--against", medals)
	if code != exitUsage || !strings.Contains(stderr, "--against default") {
		t.Errorf("--against default with a directory: exit %d, %s", code, stderr)
	}
	code, _, stderr = newsfacts(t, "", "diff", filepath.Join(t.TempDir(), "missing.txt"))
	if code != exitSomeFailed || !strings.Contains(stderr, "missing.txt") {
		t.Errorf("missing input: exit %d, %s", code, stderr)
	}
}

// TestDiffProcess runs the real process for diff's exit codes: 0 with differences, 1 with
// --fail-on-change, 1 when the rules under test do not load.
func TestDiffProcess(t *testing.T) {
	dir := writeRuleDir(t, map[string]string{"medals.yaml": medalRules})
	broken := writeRuleDir(t, map[string]string{"medals.yaml": strings.Replace(medalRules, "kind: count\n    description", "kind: medal\n    description", 1)})
	for _, tc := range []struct {
		args   []string
		code   int
		output string
	}{
		{[]string{"diff", "--rules", dir, "../../testdata/pages"}, exitOK, "gained 4, lost 0, changed 2"},
		{[]string{"diff", "--fail-on-change", "--rules", dir, "../../testdata/pages"}, exitFatal, "6 facts differ between the two rule sets (--fail-on-change)"},
		{[]string{"diff", "--rules", broken, "../../testdata/pages"}, exitFatal, broken + "/medals.yaml:7:11: rule count.medal: unknown kind \"medal\""},
	} {
		out, err := cli(tc.args...).CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != tc.code || !strings.Contains(string(out), tc.output) {
			t.Errorf("newsfacts %v: exit %d, want %d with %q; output:\n%s", tc.args, code, tc.code, tc.output, out)
		}
	}
}

// TestDiffLargeFile: a file read in parts is one document to diff, and the facts it lists
// carry offsets from the start of the file.
func TestDiffLargeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat(longLineUnit, longLineUnits)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := newsfacts(t, "", "diff", "--json", "--examples", "-1", "--rules.disable", "percent.sign", "--against", "default", path)
	if code != exitOK {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	var d jsonDiff
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Documents != 1 || d.Lost.Count != longLineUnits || len(d.Lost.Groups) != 1 {
		t.Fatalf("documents %d, lost %d, want 1 and %d", d.Documents, d.Lost.Count, longLineUnits)
	}
	seen := map[int]bool{}
	for _, ex := range d.Lost.Groups[0].Examples {
		if ex.Start%int(longLineRunes) != 13 || seen[ex.Start] {
			t.Fatalf("lost %q at %d: not 13 code points into a unit, or twice", ex.Text, ex.Start)
		}
		seen[ex.Start] = true
	}
	if len(seen) != longLineUnits {
		t.Errorf("%d lost facts listed, want %d", len(seen), longLineUnits)
	}
}

// TestExtractStdinNotAFile: "-" is standard input, even beside a file named "-".
func TestExtractStdinNotAFile(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("-", []byte(strings.Repeat(longLineUnit, longLineUnits)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := newsfacts(t, "温岭已拥有上市企业5家。", "extract", "--format", "jsonl", "-")
	if code != exitOK || strings.Count(out, "\n") != 2 || !strings.Contains(out, `"text":"5家"`) {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, out, stderr)
	}
}
