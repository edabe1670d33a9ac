package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// watching is a real newsfacts process started with --watch, its stdout and stderr together.
type watching struct {
	t   *testing.T
	cmd *exec.Cmd
	out *lockedBuffer
}

func startWatch(t *testing.T, args ...string) *watching {
	t.Helper()
	w := &watching{t: t, cmd: cli(args...), out: &lockedBuffer{}}
	w.cmd.Stdout, w.cmd.Stderr = w.out, w.out
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if w.cmd.ProcessState == nil {
			w.cmd.Process.Kill()
			w.cmd.Wait()
		}
	})
	return w
}

// waitFor waits until the output after offset from holds every one of wants, and returns the
// offset after it. The deadline only stops a test that would hang; nothing asserts on time.
func (w *watching) waitFor(from int, wants ...string) int {
	w.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		out := w.out.String()
		rest := out[from:]
		all := true
		for _, want := range wants {
			if !strings.Contains(rest, want) {
				all = false
			}
		}
		if all {
			return len(out)
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("--watch never printed %q; after offset %d it printed:\n%s", wants, from, rest)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends Ctrl-C and checks the process exits 0.
func (w *watching) stop() {
	w.t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGINT); err != nil {
		w.t.Fatal(err)
	}
	err := w.cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		w.t.Errorf("--watch after Ctrl-C: exit %d, want 0; output:\n%s", ee.ExitCode(), w.out.String())
	} else if err != nil {
		w.t.Error(err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExplainWatch: explain --watch re-runs on a rule change; a broken rule file is reported
// with file:line:col and the last good rules go on answering (here for an edited input file);
// the fix brings the new rules in; Ctrl-C exits 0.
func TestExplainWatch(t *testing.T) {
	dir := t.TempDir()
	rulesDir := filepath.Join(dir, "myrules")
	os.Mkdir(rulesDir, 0o755)
	medals := filepath.Join(rulesDir, "medals.yaml")
	input := filepath.Join(dir, "in.txt")
	writeFile(t, medals, medalRules)
	writeFile(t, input, "拿下一金一铜。")

	w := startWatch(t, "explain", "--watch", "--watch-interval", "50ms", "--rules", rulesDir, input)
	at := w.waitFor(0, `count     一金             1 gold exact`, "newsfacts: watching "+rulesDir+", "+input)

	broken := strings.Replace(medalRules, "(?P<unit>[金银铜])'", "(?P<unit>[金银铜]'", 1)
	writeFile(t, medals, broken)
	at = w.waitFor(at, medals+" changed at ",
		medals+":9:14: rule count.medal: pattern does not compile",
		"  |     pattern: '(?P<num>{{cnd}})(?P<unit>[金银铜]'\n  |              ^",
		"the last good rules (version ")

	writeFile(t, input, "拿下两金。")
	at = w.waitFor(at, input+" changed at ", `count.medal          "两金" [2,4) num=两 unit=金 → 2 gold exact  KEPT`, `count     两金             2 gold exact`)

	writeFile(t, medals, strings.Replace(medalRules, "金: gold", "金: gold_medal", 1))
	w.waitFor(at, medals+" changed at ", `count     两金             2 gold_medal exact`)
	w.stop()
}

// TestRulesTestWatch: rules test --watch runs the examples again after each change, reports a
// file that does not load and keeps the last good rules.
func TestRulesTestWatch(t *testing.T) {
	rulesDir := t.TempDir()
	medals := filepath.Join(rulesDir, "medals.yaml")
	writeFile(t, medals, medalRules)

	w := startWatch(t, "rules", "test", "--watch", "--watch-interval", "50ms", "--rules", rulesDir, "--run", "medal|vessel|electricity")
	at := w.waitFor(0, "2 passed, 0 failed", "newsfacts: watching "+rulesDir+";")

	writeFile(t, medals, strings.Replace(medalRules, "    unit_map: medals\n", "    unit_map: medals\n    units: x\n", 1))
	at = w.waitFor(at, medals+":12:5: unknown field \"units\" in a rule", "the last good rules (version ")

	writeFile(t, medals, strings.Replace(medalRules, "want: {text: 一金, value: 1, unit: gold}", "want: {text: 一金, value: 2, unit: gold}", 1))
	at = w.waitFor(at, "1 passed, 1 failed", "value = 1, want 2")

	// A new file in the folder counts too.
	writeFile(t, filepath.Join(rulesDir, "energy.yaml"), `version: 1
maps:
  energy: {度: kWh}
rules:
  - id: quantity.electricity_degree
    kind: quantity
    pattern: '发电(?P<num>{{number}})(?P<unit>度)'
    normalize: amount
    unit_map: energy
    examples:
      - text: 全年发电3000万度
        want: {value: 30000000, unit: kWh}
`)
	at = w.waitFor(at, "energy.yaml changed at ", "2 passed, 1 failed")

	// Dictionaries are watched too: a malformed people.txt is refused, a good one taken.
	people := filepath.Join(rulesDir, "people.txt")
	writeFile(t, people, "张三\n李四||李斯\n")
	at = w.waitFor(at, people+" changed at ", people+":2:", "the last good rules (version ")
	writeFile(t, people, "张三\n李四|李斯\n")
	w.waitFor(at, people+" changed at ", "2 passed, 1 failed")
	w.stop()
}
