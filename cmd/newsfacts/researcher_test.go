package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	code, out, stderr := newsfacts(t, "", "explain", "--pub-date", "2023-11-01", "李四人民币存款很多。今年1-9月份，直播近9000场次。")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"tokens: 李四/nr 人民币/n",
		`count.classifier     "四人" [1,3) num=四 unit=人 → 4 人 exact  dropped: cuts through the word 李四`,
		`date.month_range     "今年1-9月份" [10,17) month2=9 month=1 rel=今年 → 2023-01..2023-09  KEPT`,
		`date.relative_year   "今年" [10,12) rel=今年 → 2023  dropped: lost an overlap to rule date.month_range`,
		"facts: 2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	code, js, _ := newsfacts(t, "", "explain", "--json", "--pub-date", "2023-11-01", "产值超300亿元。")
	var x explanation
	if code != 0 || json.Unmarshal([]byte(js), &x) != nil {
		t.Fatalf("explain --json: exit %d, %q", code, js)
	}
	if len(x.Facts) != 1 || x.Facts[0].Text != "超300亿元" || len(x.Sentences) != 1 || len(x.Sentences[0].Candidates) == 0 || !x.Sentences[0].Candidates[0].Kept {
		t.Errorf("explain --json: %+v", x)
	}
}

func TestRulesCheckAndTest(t *testing.T) {
	code, out, _ := newsfacts(t, "", "rules", "check")
	if code != 0 || !strings.HasPrefix(out, "ok: ") {
		t.Errorf("rules check: exit %d, %q", code, out)
	}
	code, out, _ = newsfacts(t, "", "rules", "test", "--run", "^money")
	if code != 0 || !strings.Contains(out, " passed, 0 failed") || strings.HasPrefix(out, "0 passed") {
		t.Errorf("rules test --run ^money: exit %d, %q", code, out)
	}
	code, _, stderr := newsfacts(t, "", "rules", "test", "--run", "(")
	if code != exitUsage || !strings.Contains(stderr, "--run") {
		t.Errorf("rules test --run '(': exit %d, %q", code, stderr)
	}
}

// TestEvalMatchesScorePy: newsfacts eval prints the same table as shared/eval/score.py.
func TestEvalMatchesScorePy(t *testing.T) {
	gold := filepath.Join("..", "..", "..", "shared", "eval", "recognizers-text-zh", "gold", "PercentModel.jsonl")
	scorer := filepath.Join("..", "..", "..", "shared", "eval", "score.py")
	if _, err := os.Stat(gold); err != nil {
		t.Skip("../shared/eval is not there")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	code, ours, stderr := newsfacts(t, "", "eval", "--gold", gold)
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, stderr)
	}
	// score.py runs the CLI: this test binary stands in for it.
	cmd := exec.Command(py, scorer, "--gold", gold, "--cmd", os.Args[0]+" extract --input-format jsonl --format jsonl")
	cmd.Env = append(os.Environ(), "NEWSFACTS_TEST_CLI=1")
	theirs, err := cmd.Output()
	if err != nil {
		t.Fatalf("score.py: %v", err)
	}
	table := func(s string) string {
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if l == "" {
				break
			}
			lines = append(lines, l)
		}
		return strings.Join(lines, "\n")
	}
	if table(ours) != table(string(theirs)) {
		t.Errorf("eval and score.py differ:\n--- eval\n%s\n--- score.py\n%s", table(ours), table(string(theirs)))
	}
	// --min makes CI fail under a threshold.
	code, out, _ := newsfacts(t, "", "eval", "--gold", gold, "--min", "percent=1.01")
	if code != exitFatal || !strings.Contains(out, "percent F1") {
		t.Errorf("eval --min percent=1.01: exit %d, %q", code, out)
	}
}

// TestUserRules: a researcher's directory adds a rule, replaces a default one by id, extends the
// lexicon, and a default rule is switched off — through every command.
func TestUserRules(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("energy.yaml", `version: 1
maps:
  units:
    度: kWh
rules:
  - id: quantity.electricity_degree
    kind: quantity
    pattern: '(?:发电|用电)(?:量)?(?:达|为|约)?(?P<num>{{number}})(?P<unit>度)'
    normalize: amount
    unit_map: units
    examples:
      - text: 全年发电3000万度
        want: {value: 30000000, unit: kWh}
      - text: 气温达30度
        want: none
  - id: percent.cheng
    kind: percent
    pattern: '(?P<num>[一二三四五六七八九]成)'
    normalize: percent
    examples:
      - text: 四成
        want: {value: 40}
`)
	write("lexicon.txt", "温岭日报\n")
	args := []string{"--rules", dir, "--rules.disable", "duration.months"}
	code, out, stderr := newsfacts(t, "", append([]string{"rules", "check"}, args...)...)
	if code != 0 || !strings.Contains(out, "ok: ") {
		t.Fatalf("rules check: exit %d, %s %s", code, out, stderr)
	}
	code, out, _ = newsfacts(t, "", append([]string{"rules", "test", "--run", "electricity|cheng"}, args...)...)
	if code != 0 || !strings.Contains(out, "3 passed, 0 failed") {
		t.Errorf("rules test: exit %d, %q", code, out)
	}
	// duration.months is off: 3个月 is left to the count rule.
	code, out, _ = newsfacts(t, "温岭曰报消息，全年发电3000万度，历时3个月。", append([]string{"extract", "--format", "jsonl", "--pub-date", "2023-11-01"}, args...)...)
	items := parseItems(t, out)
	var got []string
	for _, it := range items {
		if it.Kind != "location" && it.Kind != "organization" && it.Kind != "person" {
			got = append(got, it.Rule+":"+it.Text)
		}
	}
	if code != 0 || strings.Join(got, " ") != "quantity.electricity_degree:发电3000万度 count.classifier:3个" {
		t.Errorf("extract with user rules: exit %d, %v", code, got)
	}
	_, cleaned, _ := newsfacts(t, "温岭曰报消息", append([]string{"clean", "-"}, "--rules", dir)...)
	if cleaned != "温岭日报消息" {
		t.Errorf("user lexicon: clean gave %q", cleaned)
	}
	// A broken user file stops every command before any document is read, with file:line:col.
	write("broken.yaml", "version: 1\nrules:\n  - id: x.y\n    kind: money\n    pattern: '(?P<num>[0-9]+'\n    normalize: amount\n")
	code, _, stderr = newsfacts(t, "", "extract", "--rules", dir, "-")
	if code != exitFatal || !strings.Contains(stderr, "broken.yaml:5:14: rule x.y: pattern does not compile") {
		t.Errorf("broken user rules: exit %d, %q", code, stderr)
	}
}

// TestUserEntityDictionaries: organizations.txt and people.txt in a rules folder extend the
// embedded dictionaries; a malformed entry is reported with the file's path and line before
// any document is read (exit 1, bad rules).
func TestUserEntityDictionaries(t *testing.T) {
	dir := t.TempDir()
	text := "青石湾渔业联社与鲍嘉禾签约。\n"
	code, out, _ := newsfacts(t, text, "extract", "--format", "jsonl", "-")
	if code != 0 || strings.Contains(out, "青石湾渔业联社") {
		t.Fatalf("without the dictionary: exit %d, %s", code, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "organizations.txt"), []byte("# the paper's own\n青石湾渔业联社\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := newsfacts(t, text, "extract", "--rules", dir, "--format", "jsonl", "-")
	if code != 0 || !strings.Contains(out, `"kind":"organization","text":"青石湾渔业联社"`) {
		t.Errorf("with the dictionary: exit %d, %s %s", code, out, stderr)
	}
	bad := filepath.Join(dir, "people.txt")
	if err := os.WriteFile(bad, []byte("张三\n李四||李斯\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = newsfacts(t, "", "rules", "check", "--rules", dir)
	if code != 1 || !strings.Contains(stderr, "people.txt:2:") || !strings.Contains(stderr, "empty name") {
		t.Errorf("a bad people.txt: exit %d, stderr %s", code, stderr)
	}
}

// TestUserSegmentWords: segment_words.txt in a rules folder keeps a word whole in explain's
// tokens, and a malformed line is reported with its path and line by rules check. The word is
// made up: the dictionary is the process's, and other tests run in this process.
func TestUserSegmentWords(t *testing.T) {
	dir := t.TempDir()
	words := filepath.Join(dir, "segment_words.txt")
	if err := os.WriteFile(words, []byte("澄潭江口茶业社 1000 nt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := newsfacts(t, "", "explain", "--rules", dir, "澄潭江口茶业社发布年报。")
	if code != 0 || !strings.Contains(out, "tokens: 澄潭江口茶业社/nt ") {
		t.Errorf("explain with segment_words.txt: exit %d, %s %s", code, out, stderr)
	}
	if err := os.WriteFile(words, []byte("澄潭江口茶业社 1000 nt\n好词 -3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = newsfacts(t, "", "rules", "check", "--rules", dir)
	if code != 1 || !strings.Contains(stderr, "segment_words.txt:2:") {
		t.Errorf("rules check with a bad line: exit %d, %s", code, stderr)
	}
}
