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
