package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// cli starts this test binary as the newsfacts command.
func cli(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "NEWSFACTS_TEST_CLI=1")
	return cmd
}

// lockedBuffer is a bytes.Buffer the test can read while the process writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestInterruptLeavesDatasetUnchanged sends SIGINT to a running `newsfacts run` and checks
// that it exits 1 and leaves the previous dataset exactly as it was, with no staging folder.
func TestInterruptLeavesDatasetUnchanged(t *testing.T) {
	big := filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages")
	if _, err := os.Stat(big); err != nil {
		t.Skip("../shared/corpus is not there")
	}
	out := filepath.Join(t.TempDir(), "out")
	if b, err := cli("run", "--out", out, "../../testdata/pages").CombinedOutput(); err != nil {
		t.Fatalf("first run: %v\n%s", err, b)
	}
	before := snapshot(t, out)

	cmd := cli("run", "--out", out, "--workers", "1", big, big+"/../../news")
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the run is under way (the dictionary is loaded and files are being read).
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stderr.String(), "run started") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFatal {
		t.Fatalf("interrupted run: %v, want exit code %d; stderr:\n%s", err, exitFatal, stderr.String())
	}
	if !strings.Contains(stderr.String(), "is unchanged") {
		t.Errorf("stderr does not say the dataset is unchanged:\n%s", stderr.String())
	}
	if after := snapshot(t, out); after != before {
		t.Errorf("dataset changed by an interrupted run:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// snapshot lists every file under dir with its size and modification time.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil // the folder itself changes when a staging folder comes and goes
		}
		b.WriteString(rel + " " + info.ModTime().String())
		if !info.IsDir() {
			b.WriteString(" " + string(rune('0'+info.Size()%10)))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestExitCodes runs the real process for each documented exit code.
func TestExitCodes(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"extract", "--format", "jsonl", "../../testdata/pages/2024-03-15_p01.txt"}, exitOK},
		{[]string{"run", "--out", t.TempDir(), "--bogus"}, exitUsage},
		{[]string{"extract", empty}, exitSomeFailed},
		{[]string{"run", "--out", "/dev/null/cannot", "../../testdata/pages"}, exitFatal},
	} {
		err := cli(tc.args...).Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != tc.code {
			t.Errorf("newsfacts %v: exit %d, want %d", tc.args, code, tc.code)
		}
	}
}

// TestConfigPrecedence: flags over NEWSFACTS_* over the config file over the defaults.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "newsfacts.yaml")
	os.WriteFile(cfg, []byte("pub-date: 2020-06-01\nworkers: 1\n"), 0o644)
	year := func(env []string, args ...string) string {
		cmd := cli(append([]string{"extract", "--format", "jsonl", "--config", cfg}, args...)...)
		cmd.Env = append(cmd.Env, env...)
		cmd.Stdin = strings.NewReader("今年产值超300亿元。")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("extract: %v", err)
		}
		items := parseItems(t, string(out))
		for _, it := range items {
			if it.Kind == "date" {
				return it.Date
			}
		}
		return ""
	}
	if got := year(nil); got != "2020" {
		t.Errorf("config file pub-date: 今年 = %q, want 2020", got)
	}
	if got := year([]string{"NEWSFACTS_PUB_DATE=2021-06-01"}); got != "2021" {
		t.Errorf("NEWSFACTS_PUB_DATE over the file: 今年 = %q, want 2021", got)
	}
	if got := year([]string{"NEWSFACTS_PUB_DATE=2021-06-01"}, "--pub-date", "2022-06-01"); got != "2022" {
		t.Errorf("--pub-date over the environment: 今年 = %q, want 2022", got)
	}
	os.WriteFile(cfg, []byte("pubdate: 2020-06-01\n"), 0o644)
	cmd := cli("extract", "--config", cfg)
	cmd.Stdin = strings.NewReader("x")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitUsage || !strings.Contains(string(out), "pubdate") {
		t.Errorf("unknown key in the config file: %v, %s; want exit 2 naming pubdate", err, out)
	}
}

// TestSegmentTraditional: segment.traditional (flag, environment or newsfacts.yaml) adds gse's
// traditional-Chinese words, which cut a Hong Kong sentence into its words; without it the
// simplified dictionary leaves them in pieces. Switching it is a change of configuration: the
// next run processes the input again, and the run after that does not.
func TestSegmentTraditional(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "hk.txt")
	os.WriteFile(in, []byte("董事會認為，本集團於二零零二年一月三十一日的營業額為17,300,000港元。\n"), 0o644)
	cache := "NEWSFACTS_CACHE_DIR=" + t.TempDir() // the second traditional process reads the first one's cache
	tokens := func(env []string, args ...string) string {
		t.Helper()
		cmd := cli(append([]string{"explain"}, args...)...)
		cmd.Env = append(cmd.Env, append(env, cache)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("explain %v: %v\n%s", args, err, out)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "tokens:") {
				return l
			}
		}
		t.Fatalf("explain %v prints no tokens:\n%s", args, out)
		return ""
	}
	const traditional, simplified = "董事會/n 認/v 為/x ，/x 本/r 集團/n", "董事/n 會/x 認/x 為/x ，/x 本/r 集/q 團/x"
	if got := tokens(nil, in); !strings.Contains(got, simplified) {
		t.Errorf("default: %s", got)
	}
	if got := tokens(nil, "--segment.traditional", in); !strings.Contains(got, traditional) {
		t.Errorf("--segment.traditional: %s", got)
	}
	os.WriteFile(filepath.Join(dir, "newsfacts.yaml"), []byte("segment:\n  traditional: true\n"), 0o644)
	if got := tokens(nil, in); !strings.Contains(got, traditional) {
		t.Errorf("segment.traditional in newsfacts.yaml: %s", got)
	}
	os.Remove(filepath.Join(dir, "newsfacts.yaml"))

	out := filepath.Join(dir, "out")
	processed := func(env ...string) string {
		t.Helper()
		cmd := cli("run", "--progress=false", "--log-format", "json", "--out", out, in)
		cmd.Env = append(cmd.Env, append(env, cache)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("run: %v\n%s", err, stderr.String())
		}
		for _, l := range strings.Split(stderr.String(), "\n") {
			if strings.Contains(l, `"run committed"`) {
				_, rest, _ := strings.Cut(l, `"processed":`)
				n, _, _ := strings.Cut(rest, ",")
				return n
			}
		}
		t.Fatalf("run logs no commit:\n%s", stderr.String())
		return ""
	}
	for i, step := range []struct {
		env  []string
		want string
	}{{nil, "1"}, {[]string{"NEWSFACTS_SEGMENT_TRADITIONAL=true"}, "1"}, {[]string{"NEWSFACTS_SEGMENT_TRADITIONAL=true"}, "0"}, {nil, "1"}} {
		if got := processed(step.env...); got != step.want {
			t.Errorf("run %d %v: processed %s, want %s", i+1, step.env, got, step.want)
		}
	}
}
