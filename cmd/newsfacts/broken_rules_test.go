package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrokenRuleFilesEveryCommand runs the real binary with each broken rule file of
// testdata/rules/invalid (one fault a file) in a --rules folder, through every command that
// loads rules: each refuses before reading a document, exits 1 (bad rules), and names the
// file, line and column with the message the .err file holds.
func TestBrokenRuleFilesEveryCommand(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "invalid", "*.yaml"))
	if len(files) < 6 {
		t.Fatalf("%d broken rule files in testdata/rules/invalid, want one per fault", len(files))
	}
	seed := filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt")
	gold := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(gold, []byte(`{"id":"g1","text":"产值超300亿元。","facts":[{"kind":"money","value":30000000000,"unit":"CNY"}]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		errText, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
		if err != nil {
			t.Fatal(err)
		}
		want, _, _ := strings.Cut(string(errText), "\n") // bad_pattern.yaml:5:14: rule money.bad: …
		dir := t.TempDir()
		want = strings.ReplaceAll(want, name, filepath.Join(dir, name)) // errors name the path given
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "out")
		for _, args := range [][]string{
			{"rules", "check"},
			{"rules", "test"},
			{"explain", "产值超300亿元。"},
			{"extract", "--format", "jsonl", seed},
			{"eval", "--gold", gold},
			{"diff", seed},
			{"run", "--progress=false", "--out", out, seed},
		} {
			cmd := cli(append(args, "--rules", dir)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			}
			if code != 1 || !strings.Contains(stderr.String(), want) {
				t.Errorf("%s: newsfacts %s: exit %d, want 1 and %q in stderr:\n%s", name, strings.Join(args, " "), code, want, stderr.String())
			}
		}
		if _, err := os.Stat(filepath.Join(out, "facts")); err == nil {
			t.Errorf("%s: run wrote a dataset with broken rules", name)
		}
	}
}
