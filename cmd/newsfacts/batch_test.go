package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"

	"github.com/newsfacts/newsfacts/output"
	"github.com/newsfacts/newsfacts/output/manifest"
	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/source"
	"github.com/newsfacts/newsfacts/rules"
)

// The test binary, standing in for the newsfacts command (main_test.go), takes two hooks from
// its environment: NEWSFACTS_TEST_CRASH_AT=<point> kills the process with SIGKILL at that
// point of the commit (see output.CrashHook), NEWSFACTS_TEST_VANISH=<name> deletes the input
// of that base name between listing and reading, NEWSFACTS_TEST_SLOW=<name> holds the
// processing of that input until it is abandoned at its time budget.
func init() {
	if point := os.Getenv("NEWSFACTS_TEST_CRASH_AT"); point != "" {
		output.CrashHook = func(p string) {
			if p == point {
				// SIGKILL on Unix, TerminateProcess on Windows: no deferred work runs.
				if self, err := os.FindProcess(os.Getpid()); err == nil {
					self.Kill()
				}
			}
		}
	}
	if name := os.Getenv("NEWSFACTS_TEST_SLOW"); name != "" {
		beforeProcess = func(d *pipeline.Doc) {
			for filepath.Base(d.Source) == name && !d.Abandoned() {
				time.Sleep(10 * time.Millisecond)
			}
		}
	}
	if name := os.Getenv("NEWSFACTS_TEST_VANISH"); name != "" {
		beforeRead = func(path string) {
			if filepath.Base(path) == name {
				os.Remove(path)
			}
		}
	}
}

// copyPages copies the sample pages (and, when ../shared is there, n People's Daily pages)
// into a new folder.
func copyPages(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "in")
	os.MkdirAll(dir, 0o755)
	files, _ := filepath.Glob("../../testdata/pages/*.txt")
	pd, _ := filepath.Glob("../../../shared/corpus/pd1998/pages/*.txt")
	sort.Strings(pd)
	files = append(files, pd[:min(n, len(pd))]...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readAllRows reads every file of a table, as a reader's glob does.
func readAllRows[T any](t *testing.T, out, table string) []T {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, table, "*.parquet"))
	var rows []T
	for _, f := range files {
		r, err := parquet.ReadFile[T](f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		rows = append(rows, r...)
	}
	return rows
}

// dump returns every row of the dataset as sorted JSON lines, per table; elapsed_ms, which
// differs from run to run, is left out.
func dump(t *testing.T, out string) map[string][]string {
	t.Helper()
	lines := map[string][]string{}
	add := func(table string, v any) {
		b, _ := json.Marshal(v)
		lines[table] = append(lines[table], string(b))
	}
	for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
		d.ElapsedMS = 0
		add(output.TableDocuments, d)
	}
	for _, r := range readAllRows[output.ArticleRow](t, out, output.TableArticles) {
		add(output.TableArticles, r)
	}
	for _, r := range readAllRows[output.FactRow](t, out, output.TableFacts) {
		add(output.TableFacts, r)
	}
	for _, r := range readAllRows[output.EntityRow](t, out, output.TableEntities) {
		add(output.TableEntities, r)
	}
	for _, l := range lines {
		sort.Strings(l)
	}
	return lines
}

// sameRows reports how two dumps differ ("" when they hold the same rows).
func sameRows(got, want map[string][]string) string {
	var diffs []string
	for _, table := range output.Tables {
		g, w := got[table], want[table]
		if slices.Equal(g, w) {
			continue
		}
		extra, missing := 0, 0
		gi, wi := 0, 0
		for gi < len(g) || wi < len(w) {
			switch {
			case wi == len(w) || (gi < len(g) && g[gi] < w[wi]):
				extra++
				gi++
			case gi == len(g) || w[wi] < g[gi]:
				missing++
				wi++
			default:
				gi++
				wi++
			}
		}
		diffs = append(diffs, fmt.Sprintf("%s: %d rows, want %d (%d extra, %d missing)", table, len(g), len(w), extra, missing))
	}
	return strings.Join(diffs, "; ")
}

// noDuplicates checks that every input has one row in documents.
func noDuplicates(t *testing.T, out string) {
	t.Helper()
	seen := map[string]bool{}
	for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
		if seen[d.Source] {
			t.Errorf("%s has two rows in documents", d.Source)
		}
		seen[d.Source] = true
	}
}

// tableFiles lists the files the tables hold, with a hash of their bytes and their time.
func tableFiles(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, table := range output.Tables {
		files, _ := filepath.Glob(filepath.Join(out, table, "*.parquet"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fi, _ := os.Stat(f)
			sum := sha256.Sum256(b)
			m[table+"/"+filepath.Base(f)] = hex.EncodeToString(sum[:8]) + " " + fi.ModTime().String()
		}
	}
	return m
}

func readRecord(t *testing.T, path string) runRecord {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r runRecord
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
	return r
}

// TestRunIncremental: a re-run over unchanged inputs does no extraction work and leaves the
// tables byte for byte; a changed input, a changed rule set or a changed configuration is
// processed again and its rows replaced; the dataset is always what a fresh run would write.
func TestRunIncremental(t *testing.T) {
	in := copyPages(t, 4)
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "run.json")
	run := func(wantCode int, args ...string) runRecord {
		t.Helper()
		code, stdout, stderr := newsfacts(t, "", append([]string{"run", "--out", out, "--summary", summary, "--workers", "2"}, args...)...)
		if code != wantCode {
			t.Fatalf("run %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, wantCode, stdout, stderr)
		}
		return readRecord(t, summary)
	}
	n := 6
	if _, err := os.Stat("../../../shared/corpus/pd1998/pages"); err != nil {
		n = 2
	}

	first := run(0, in)
	if first.Status != "committed" || first.Inputs.Processed != n || first.Inputs.Skipped != 0 || first.Documents["ok"] != n {
		t.Fatalf("first run record: %+v", first)
	}
	before := tableFiles(t, out)

	// Nothing changed: nothing processed, the tables as they were.
	again := run(0, in)
	if again.Inputs.Processed != 0 || again.Inputs.Skipped != n || again.Skipped["ok"] != n || len(again.Facts) != 0 ||
		again.Commit == nil || again.Commit.Written != 0 || again.Commit.Snapshot != first.Commit.Snapshot {
		t.Errorf("re-run record: %+v", again)
	}
	if after := tableFiles(t, out); !reflect.DeepEqual(before, after) {
		t.Errorf("a re-run over unchanged inputs changed the tables:\n%v\n%v", before, after)
	}
	success, _ := os.ReadFile(filepath.Join(out, "_SUCCESS"))
	if !strings.Contains(string(success), again.RunID) {
		t.Errorf("_SUCCESS does not name the re-run:\n%s", success)
	}

	// One input changes, one is added: only they are processed; the old rows are gone.
	changed := filepath.Join(in, "2024-03-15_p01.txt")
	f, _ := os.OpenFile(changed, os.O_APPEND|os.O_WRONLY, 0)
	f.Write([]byte("\r\n\xbd\xf1\xc4\xea\xb2\xfa\xd6\xb5\xd4\xf6\xb3\xa412%\xa1\xa3\r\n")) // GBK: 今年产值增长12%。
	f.Close()
	os.WriteFile(filepath.Join(in, "new.txt"), []byte("去年出口额达1.5万美元，增长20%。"), 0o644)
	third := run(0, in)
	if third.Inputs.Processed != 2 || third.Inputs.Skipped != n-1 || third.Commit.Replaced != 1 {
		t.Errorf("run after a change: %+v", third)
	}
	noDuplicates(t, out)

	fresh := func(args ...string) map[string][]string {
		ref := filepath.Join(t.TempDir(), "ref")
		code, _, stderr := newsfacts(t, "", append([]string{"run", "--out", ref, "--workers", "2"}, args...)...)
		if code != 0 {
			t.Fatalf("fresh run: exit %d: %s", code, stderr)
		}
		return dump(t, ref)
	}
	if d := sameRows(dump(t, out), fresh(in)); d != "" {
		t.Errorf("after a changed input, the dataset is not what a fresh run writes: %s", d)
	}

	// A changed rule set: every input again, the rows are those of the new rules.
	rulesRun := run(0, "--rules.disable", "money.amount", in)
	if rulesRun.Inputs.Processed != n+1 || rulesRun.Commit.Replaced != n+1 || rulesRun.Commit.PartsRemoved != 2 {
		t.Errorf("run with another rule set: inputs %+v, commit %+v", rulesRun.Inputs, rulesRun.Commit)
	}
	if d := sameRows(dump(t, out), fresh("--rules.disable", "money.amount", in)); d != "" {
		t.Errorf("after a rule change: %s", d)
	}
	for _, f := range readAllRows[output.FactRow](t, out, output.TableFacts) {
		if f.Rule == "money.amount" || f.RulesVersion != rulesRun.RulesVersion {
			t.Fatalf("a row of the old rule set is left: %+v", f)
		}
	}

	// A changed configuration, and --force.
	if r := run(0, "--pub-date", "2020-01-01", in); r.Inputs.Processed != n+1 {
		t.Errorf("run with another configuration: %+v", r.Inputs)
	}
	if r := run(0, "--pub-date", "2020-01-01", in); r.Inputs.Processed != 0 {
		t.Errorf("re-run with that configuration: %+v", r.Inputs)
	}
	if r := run(0, "--pub-date", "2020-01-01", "--force", in); r.Inputs.Processed != n+1 || r.Commit.Replaced != n+1 {
		t.Errorf("--force: %+v", r.Inputs)
	}
	if d := sameRows(dump(t, out), fresh("--pub-date", "2020-01-01", in)); d != "" {
		t.Errorf("after --force: %s", d)
	}

	// Inputs not given again stay: a run over one folder does not drop another's rows.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "other.txt"), []byte("产值超300亿元。"), 0o644)
	if r := run(0, "--pub-date", "2020-01-01", other); r.Inputs.Processed != 1 || r.Commit.DatasetRows["documents"] != int64(n+2) {
		t.Errorf("run over another folder: %+v %+v", r.Inputs, r.Commit)
	}
}

// TestRunLocked: a second run on the same --out is refused, naming the holder's pid.
func TestRunLocked(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	holder, err := output.Open(out, output.Meta{RunID: "holder"}, output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(t.TempDir(), "s.json")
	code, _, stderr := newsfacts(t, "", "run", "--out", out, "--summary", summary, seed)
	if code != exitFatal || !strings.Contains(stderr, fmt.Sprintf("pid %d", os.Getpid())) || !strings.Contains(stderr, "is being written by another newsfacts run") {
		t.Errorf("run while another holds the lock: exit %d, stderr:\n%s", code, stderr)
	}
	if r := readRecord(t, summary); r.Status != "failed" || !strings.Contains(r.Error, "pid") {
		t.Errorf("summary of a refused run: %+v", r)
	}
	holder.Abort()
	if code, _, stderr := newsfacts(t, "", "run", "--out", out, seed); code != 0 {
		t.Errorf("run after the holder left: exit %d: %s", code, stderr)
	}
}

// TestRunShards: shards, each its own process, run side by side into one dataset, which is
// then what one unsharded run writes.
func TestRunShards(t *testing.T) {
	in := copyPages(t, 6)
	out := filepath.Join(t.TempDir(), "out")
	const shards = 3
	var wg sync.WaitGroup
	records := make([]runRecord, shards)
	for i := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			summary := filepath.Join(t.TempDir(), "s.json")
			out, err := cli("run", "--out", out, "--workers", "1", "--summary", summary,
				"--shard-index", fmt.Sprint(i), "--shard-count", fmt.Sprint(shards), in).CombinedOutput()
			if err != nil {
				t.Errorf("shard %d: %v: %s", i, err, out)
				return
			}
			records[i] = readRecord(t, summary)
		}()
	}
	wg.Wait()
	total := 0
	for i, r := range records {
		total += r.Inputs.Processed
		if r.Shard == nil || r.Shard.Index != i || r.Inputs.Found != records[0].Inputs.Found || r.Inputs.Shard != r.Inputs.Processed {
			t.Errorf("shard %d record: %+v", i, r)
		}
	}
	if found := records[0].Inputs.Found; total != found {
		t.Errorf("shards processed %d inputs, found %d", total, found)
	}
	ref := filepath.Join(t.TempDir(), "ref")
	if code, _, stderr := newsfacts(t, "", "run", "--out", ref, in); code != 0 {
		t.Fatalf("unsharded run: %d %s", code, stderr)
	}
	if d := sameRows(dump(t, out), dump(t, ref)); d != "" {
		t.Errorf("shards wrote other rows than one run: %s", d)
	}
	// An unsharded run on the same dataset finds everything done.
	summary := filepath.Join(t.TempDir(), "s.json")
	if code, _, _ := newsfacts(t, "", "run", "--out", out, "--summary", summary, in); code != 0 || readRecord(t, summary).Inputs.Processed != 0 {
		t.Errorf("unsharded re-run after the shards: exit %d, %+v", code, readRecord(t, summary).Inputs)
	}
}

// TestRunBudgetFlags: budgets and shards are checked as usage.
func TestRunBudgetFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--max-bytes", "lots"}, {"--max-bytes", "-5"}, {"--max-bytes", "3GiB"}, {"--doc-timeout", "-1s"},
		{"--shard-count", "0"}, {"--shard-index", "2", "--shard-count", "2"}, {"--shard-index", "-1", "--shard-count", "2"},
	} {
		code, _, stderr := newsfacts(t, "", append(append([]string{"run", "--out", t.TempDir()}, args...), seed)...)
		if code != exitUsage {
			t.Errorf("run %v: exit %d, want %d: %s", args, code, exitUsage, stderr)
		}
	}
	// 2GiB is the most one input can hold, less the one byte a 32-bit offset cannot count.
	c := Config{Batch: BatchConfig{MaxBytes: "2GiB", ShardCount: 1}}
	if got, err := parseBatch(c); err != nil || got != source.MaxFileBytes {
		t.Errorf("--max-bytes 2GiB: %d, %v; want %d", got, err, int64(source.MaxFileBytes))
	}
	for in, want := range map[string]int64{"1000": 1000, "64MiB": 64 << 20, "10MB": 10e6, "512k": 512 << 10, "1.5G": 3 << 29} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

// TestShardOf: the split is deterministic and covers every input once.
func TestShardOf(t *testing.T) {
	counts := make([]int, 4)
	for i := range 1000 {
		key := fmt.Sprintf("/archive/1998/01/%04d.txt", i)
		s := shardOf(key, 4)
		if s != shardOf(key, 4) || s < 0 || s >= 4 {
			t.Fatalf("shardOf(%q) = %d", key, s)
		}
		counts[s]++
	}
	for i, n := range counts {
		if n < 200 || n > 300 {
			t.Errorf("shard %d has %d of 1000 inputs", i, n)
		}
	}
}

// hostile makes the fault-injection folder: one input of every kind that must not stop a
// run, and returns the arguments to give and the status each input must have (by base name;
// "" when it cannot be checked here).
func hostile(t *testing.T) (args []string, want map[string]string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "hostile")
	os.MkdirAll(dir, 0o755)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	want = map[string]string{
		"000_db8b3177b1dab977.txt": "ok", "2024-03-15_p01.txt": "ok", // the good pages beside
	}
	write("empty.txt", nil)
	want["empty.txt"] = "failed"
	write("binary.bin", []byte{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 0, 0x80, 8, 6})
	want["binary.bin"] = "failed"
	gbk, err := os.ReadFile("../../testdata/pages/2024-03-15_p01.txt")
	if err != nil {
		t.Fatal(err)
	}
	write("truncated_gbk.txt", gbk[:len(gbk)/2|1]) // cut inside a two-byte character
	want["truncated_gbk.txt"] = "ok"
	write("invalid_utf8.txt", []byte("产值超300亿元，增长\xff\xfe\xc3(12%)。出口额\xe4\xb8达1.5万美元。同比增长\xed\xa0\x80两成。"))
	want["invalid_utf8.txt"] = "failed"
	// Megabytes on one line: read in parts (source.ReadParts), cut between two clauses, each
	// part within --doc-timeout (TestFaultInjection checks its facts).
	write("longline.txt", []byte(strings.Repeat(longLineUnit, longLineUnits)))
	want["longline.txt"] = "ok"
	// Held past --doc-timeout (NEWSFACTS_TEST_SLOW).
	write("slow.txt", []byte("今年产值超300亿元。"))
	want["slow.txt"] = "timeout"
	// 100 MB, sparse: over --max-bytes, never read.
	huge := write("huge.txt", nil)
	if err := os.Truncate(huge, 100<<20); err != nil {
		t.Fatal(err)
	}
	want["huge.txt"] = "too_large"
	noperm := write("noperm.txt", []byte("产值超300亿元。"))
	os.Chmod(noperm, 0)
	want["noperm.txt"] = "failed"
	if f, err := os.Open(noperm); err == nil { // root reads anything
		f.Close()
		want["noperm.txt"] = ""
	}
	// A loop of file links, and a link to the folder itself.
	os.Symlink("loop-b.txt", filepath.Join(dir, "loop-a.txt"))
	os.Symlink("loop-a.txt", filepath.Join(dir, "loop-b.txt"))
	want["loop-a.txt"], want["loop-b.txt"] = "failed", "failed"
	os.Symlink(".", filepath.Join(dir, "self"))
	// Deleted between listing and reading (NEWSFACTS_TEST_VANISH).
	write("vanish.txt", []byte("产值超300亿元。"))
	want["vanish.txt"] = "failed"
	// Given by name: a named pipe (reading it would block), a folder named like a file, and
	// a file that is not there.
	fifo := filepath.Join(t.TempDir(), "pipe.txt")
	switch err := mkfifo(fifo); {
	case err == nil:
		want["pipe.txt"] = "failed"
	case errors.Is(err, errors.ErrUnsupported): // no named pipes in the file system (Windows)
		fifo = ""
	default:
		t.Fatal(err)
	}
	folder := filepath.Join(t.TempDir(), "folder.txt")
	os.Mkdir(folder, 0o755)
	want["folder.txt"] = "failed"
	want["missing.txt"] = "failed"
	// PDFs: encrypted (a standard security handler the empty password does not open), cut in
	// half, and with no pages.
	sample, err := os.ReadFile("../../testdata/pdf/newspaper_3col.pdf")
	if err != nil {
		t.Fatal(err)
	}
	write("truncated.pdf", sample[:len(sample)/2])
	write("nopages.pdf", minimalPDF("<< /Type /Pages /Kids [] /Count 0 >>", ""))
	write("encrypted.pdf", minimalPDF("<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"/Encrypt << /Filter /Standard /V 1 /R 2 /O <"+strings.Repeat("11", 32)+"> /U <"+strings.Repeat("22", 32)+"> /P -4 >> "+
			"/ID [<"+strings.Repeat("33", 16)+"> <"+strings.Repeat("33", 16)+">] "))
	want["truncated.pdf"], want["nopages.pdf"], want["encrypted.pdf"] = "failed", "failed", "failed"
	args = []string{dir, "../../testdata/pages", folder, filepath.Join(dir, "missing.txt")}
	if fifo != "" {
		args = append(args, fifo)
	}
	return args, want
}

// longline.txt is longLineUnits times longLineUnit on one line, more than source.WholeBytes:
// two figures a unit (超300亿元 at code point 4, 12.5% at 13) and a few KB without any.
var (
	longLineUnit  = "今年产值超300亿元，增长12.5%，" + strings.Repeat("经济运行总体平稳，", 150)
	longLineRunes = int32(utf8.RuneCountInString(longLineUnit))
	longLineUnits = source.WholeBytes/len(longLineUnit) + 50
)

// checkLongLine checks the facts of longline.txt: a money and a percent fact in every unit, at
// offsets counted from the start of the file, whatever part they were found in.
func checkLongLine(t *testing.T, out, name string) {
	t.Helper()
	seen := map[string]map[int32]bool{"money": {}, "percent": {}}
	for _, f := range readAllRows[output.FactRow](t, out, output.TableFacts) {
		if filepath.Base(f.Source) != name {
			continue
		}
		at := map[string]int32{"money": 4, "percent": 13}[f.Kind]
		unit := f.Start / longLineRunes
		// Cleaning leaves this text as it is: the raw offsets are the same.
		if f.Start%longLineRunes != at || seen[f.Kind][unit] || f.End-f.Start != int32(utf8.RuneCountInString(f.Text)) ||
			f.RawStart != f.Start || f.RawEnd != f.End {
			t.Fatalf("%s: %s %q at %d, raw %d (unit %d, twice %v)", name, f.Kind, f.Text, f.Start, f.RawStart, unit, seen[f.Kind][unit])
		}
		seen[f.Kind][unit] = true
	}
	if len(seen["money"]) != longLineUnits || len(seen["percent"]) != longLineUnits {
		t.Errorf("longline.txt: %d money and %d percent facts, want %d of each", len(seen["money"]), len(seen["percent"]), longLineUnits)
	}
}

// TestHoistedGrowsPastWhole: the input hoisted to be read first (the largest, under
// source.WholeBytes when listed) has grown past it when it is read (a copy still arriving):
// read in parts in its place, the run ends with every input, instead of its parts holding
// every place in flight while they wait for the inputs before them.
func TestHoistedGrowsPastWhole(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("该市去年引进外资12亿美元。\n"), 0o644)
	big := filepath.Join(dir, "b_big.txt")
	os.WriteFile(big, []byte(strings.Repeat(longLineUnit, hoistBytes/len(longLineUnit)+1)), 0o644)
	grown := false
	beforeRead = func(path string) {
		if path == big && !grown {
			grown = true
			f, _ := os.OpenFile(big, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(strings.Repeat(longLineUnit, longLineUnits))
			f.Close()
		}
	}
	t.Cleanup(func() { beforeRead = nil })
	out := filepath.Join(t.TempDir(), "out")
	done := make(chan int, 1)
	go func() {
		code, _, _ := newsfacts(t, "", "run", "--progress=false", "--workers", "2", "--out", out, dir)
		done <- code
	}()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the run did not end: the hoisted input's parts hold every place in flight")
	}
	docs := readAllRows[output.DocumentRow](t, out, output.TableDocuments)
	if len(docs) != 2 || filepath.Base(docs[0].Source) != "a.txt" || filepath.Base(docs[1].Source) != "b_big.txt" ||
		docs[1].Bytes <= source.WholeBytes || docs[1].Status != "ok" {
		t.Errorf("documents: %+v", docs)
	}
}

// TestStdinInParts: standard input larger than source.WholeBytes is copied to a temporary file
// and read in parts like a large file, the copy removed afterwards; unchanged, it is skipped by
// the next run; larger than --max-bytes, it is too_large and nothing is kept.
func TestStdinInParts(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	text := strings.Repeat(longLineUnit, longLineUnits)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := newsfacts(t, text, "run", "--progress=false", "--out", out, "-"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkLongLine(t, out, "-")
	docs := readAllRows[output.DocumentRow](t, out, output.TableDocuments)
	if len(docs) != 1 || docs[0].Source != "-" || docs[0].Status != "ok" || docs[0].Bytes != int64(len(text)) ||
		docs[0].DocID != hex.EncodeToString(sha256Of(text)[:8]) {
		t.Errorf("documents: %+v", docs)
	}
	if code, stdout, _ := newsfacts(t, text, "run", "--progress=false", "--out", out, "-"); code != 0 || !strings.Contains(stdout, "skipped: 1 unchanged") {
		t.Errorf("second run: exit %d:\n%s", code, stdout)
	}
	code, _, stderr := newsfacts(t, text, "run", "--progress=false", "--max-bytes", "4MiB", "--out", filepath.Join(t.TempDir(), "o2"), "-")
	if code != exitSomeFailed || !strings.Contains(stderr, "-: more than --max-bytes 4.0 MiB: not read") {
		t.Errorf("over the budget: exit %d: %s", code, stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) != 0 {
		t.Errorf("left in the temporary folder: %v", left)
	}

	// extract: the same facts, at the same offsets.
	code, stdout, stderr := newsfacts(t, text, "extract", "--format", "jsonl", "-")
	if code != 0 {
		t.Fatalf("extract: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var last struct{ Start, Sentence int }
	json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	if want := (longLineUnits-1)*int(longLineRunes) + 13; last.Start != want {
		t.Errorf("extract: last item at %d, want %d: %s", last.Start, want, lines[len(lines)-1])
	}
}

func sha256Of(s string) []byte { sum := sha256.Sum256([]byte(s)); return sum[:] }

// minimalPDF writes a PDF whose catalog's page tree is pages (object 2), with one empty page
// (object 3), and trailer entries added.
func minimalPDF(pages, trailer string) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", pages, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	return []byte(b.String())
}

// raceEnabled is set by race_test.go when the tests run under the race detector.
var raceEnabled bool

// TestFaultInjection runs newsfacts over hostile inputs beside good pages: every input is in
// documents with its status and reason, none stops the run, and the exit code is 3. The run
// is a real process.
func TestFaultInjection(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 50 MB and runs a process")
	}
	args, want := hostile(t)
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "run.json")
	// Long enough for every input but slow.txt, held until it is abandoned.
	budget := "3s"
	if raceEnabled {
		budget = "15s"
	}
	run := func() (runRecord, string) {
		cmd := cli(append([]string{"run", "--out", out, "--summary", summary, "--workers", "2", "--doc-timeout", budget}, args...)...)
		cmd.Env = append(cmd.Env, "NEWSFACTS_TEST_VANISH=vanish.txt", "NEWSFACTS_TEST_SLOW=slow.txt")
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		t0 := time.Now()
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitSomeFailed {
			t.Fatalf("exit %v, want %d; stderr:\n%s", err, exitSomeFailed, stderr.String())
		}
		t.Logf("run took %v", time.Since(t0))
		return readRecord(t, summary), stderr.String()
	}
	rec, stderr := run()

	docs := readAllRows[output.DocumentRow](t, out, output.TableDocuments)
	got := map[string]string{}
	for _, d := range docs {
		name := filepath.Base(d.Source)
		if _, dup := got[name]; dup {
			t.Errorf("%s has two rows", name)
		}
		got[name] = d.Status
		if d.Status != "ok" && (d.Error == nil || !strings.Contains(*d.Error, name)) {
			t.Errorf("%s: %s without an error naming the file: %v", name, d.Status, d.Error)
		}
		if d.Status != "ok" && !strings.Contains(stderr, name) {
			t.Errorf("stderr does not name %s", name)
		}
		if d.Error != nil {
			t.Logf("%-26s %-9s %s", name, d.Status, *d.Error)
		}
	}
	for name, status := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s is not in documents", name)
		} else if status != "" && got[name] != status {
			t.Errorf("%s: status %s, want %s", name, got[name], status)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("documents has %s, which is not an input", name)
		}
	}
	if rec.Status != "committed" || rec.Documents["timeout"] != 1 || rec.Documents["too_large"] != 1 || len(rec.Errors) < 10 {
		t.Errorf("run record: documents %v, %d errors", rec.Documents, len(rec.Errors))
	}
	checkLongLine(t, out, "longline.txt")
	for _, d := range docs {
		if filepath.Base(d.Source) == "longline.txt" &&
			(d.Facts != int32(2*longLineUnits) || d.Chars != longLineRunes*int32(longLineUnits) || d.Bytes != int64(len(longLineUnit)*longLineUnits)) {
			t.Errorf("longline.txt's row: %d facts, %d code points, %d bytes", d.Facts, d.Chars, d.Bytes)
		}
	}

	// Again: nothing has changed, the failures are remembered (still exit 3), the vanished
	// file keeps its row, nothing is processed but the inputs that could not be read.
	before := dump(t, out)
	rec, _ = run()
	if rec.Inputs.Skipped < 10 || rec.Documents["timeout"] != 0 {
		t.Errorf("second run: inputs %+v, documents %v", rec.Inputs, rec.Documents)
	}
	if d := sameRows(dump(t, out), before); d != "" {
		t.Errorf("the second run changed the rows: %s", d)
	}
}

// TestKillRecovery kills real runs with SIGKILL, at each point of the commit and at two times
// while they write documents, runs again, and compares the dataset with an uninterrupted run's:
// same rows, none twice.
func TestKillRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("runs many processes")
	}
	base := copyPages(t, 12)
	change := func(dir string) {
		f, _ := os.OpenFile(filepath.Join(dir, "000_db8b3177b1dab977.txt"), os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString("\n今年前三季度，全市工业产值增长8.5%。\n")
		f.Close()
		os.WriteFile(filepath.Join(dir, "added.txt"), []byte("去年出口额达1.5万美元，增长20%。"), 0o644)
		os.WriteFile(filepath.Join(dir, "empty.txt"), nil, 0o644)
	}
	// The inputs: a first version, committed, then a second one, which the killed run writes.
	// Both live at the same path, so that the source column is the same in every dataset.
	in := filepath.Join(t.TempDir(), "in")
	reset := func() {
		os.RemoveAll(in)
		os.CopyFS(in, os.DirFS(base))
	}
	reset()
	change(in)
	ref := filepath.Join(t.TempDir(), "ref")
	if code, _, stderr := newsfacts(t, "", "run", "--out", ref, in); code != exitSomeFailed {
		t.Fatalf("reference run: exit %d: %s", code, stderr)
	}
	want := dump(t, ref)

	kill := func(t *testing.T, out, point string, after time.Duration, checkpoint string) {
		cmd := cli("run", "--out", out, "--workers", "2", "--checkpoint-docs", checkpoint, in)
		cmd.Env = append(cmd.Env, "NEWSFACTS_TEST_CRASH_AT="+point)
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if after > 0 {
			// Once documents are being written (a part file is staged), or once a checkpoint
			// is committed (a second run record), wait a little more.
			runs, _ := filepath.Glob(filepath.Join(out, "_runs", "*.json"))
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				if checkpoint != "0" {
					if m, _ := filepath.Glob(filepath.Join(out, "_runs", "*.json")); len(m) > len(runs) {
						break
					}
				} else if m, _ := filepath.Glob(filepath.Join(out, "_staging-*", "documents", "*.parquet")); len(m) > 0 {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(after)
			cmd.Process.Signal(syscall.SIGKILL)
		}
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Logf("the run was not killed (%v): it finished first; stderr:\n%s", err, stderr.String())
		}
	}
	cases := []struct {
		point      string
		after      time.Duration
		checkpoint string // --checkpoint-docs
	}{
		{"staged", 0, "0"}, {"committed", 0, "0"}, {"snapshot-half", 0, "0"}, {"recorded", 0, "0"},
		{"", 100 * time.Millisecond, "0"},
		// Commits every 2 documents: killed at a commit point of a checkpoint, or after one.
		{"committed", 0, "2"}, {"", time.Millisecond, "2"},
	}
	for _, tc := range cases {
		name := tc.point
		if name == "" {
			name = "after-" + tc.after.String()
		}
		name += "/checkpoint-" + tc.checkpoint
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			reset()
			// The first run commits half the pages; the killed run has the rest to do.
			files, _ := filepath.Glob(filepath.Join(in, "*.txt"))
			if code, _, stderr := newsfacts(t, "", append([]string{"run", "--out", out}, files[:len(files)/2]...)...); code != 0 {
				t.Fatalf("first run: exit %d: %s", code, stderr)
			}
			change(in)
			kill(t, out, tc.point, tc.after, tc.checkpoint)

			// Whatever a reader sees now is one whole dataset.
			noDuplicates(t, out)

			summary := filepath.Join(t.TempDir(), "s.json")
			code, _, stderr := newsfacts(t, "", "run", "--out", out, "--summary", summary, in)
			if code != exitSomeFailed {
				t.Fatalf("run after the kill: exit %d: %s", code, stderr)
			}
			if d := sameRows(dump(t, out), want); d != "" {
				t.Errorf("after a kill at %s and a new run: %s", name, d)
			}
			noDuplicates(t, out)
			if m, _ := filepath.Glob(filepath.Join(out, "_staging*")); len(m) != 0 {
				t.Errorf("staging left: %v", m)
			}
			r := readRecord(t, summary)
			t.Logf("run after the kill: processed %d, skipped %d, replaced %d", r.Inputs.Processed, r.Inputs.Skipped, r.Commit.Replaced)
		})
	}
}

// TestRunStatShortcut: an input whose size and time are those it had when a run read it, long
// after its last change, is not read again; one whose time moved is read and hashed, and
// processed only when its bytes changed.
func TestRunStatShortcut(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.txt")
	old := time.Now().Add(-time.Hour)
	os.WriteFile(page, []byte("今年产值超300亿元。"), 0o644)
	os.Chtimes(page, old, old)
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "s.json")
	run := func() runRecord {
		t.Helper()
		if code, _, stderr := newsfacts(t, "", "run", "--out", out, "--summary", summary, dir); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return readRecord(t, summary)
	}
	if r := run(); r.Inputs.Processed != 1 {
		t.Fatalf("first run: %+v", r.Inputs)
	}
	// Same size, same time: trusted without reading (as make and git do).
	os.WriteFile(page, []byte("去年产值超400亿元。"), 0o644)
	os.Chtimes(page, old, old)
	if r := run(); r.Inputs.Skipped != 1 {
		t.Errorf("same size and time: %+v", r.Inputs)
	}
	// Touched: read, hashed, and processed since the bytes differ.
	now := time.Now().Add(-time.Minute)
	os.Chtimes(page, now, now)
	if r := run(); r.Inputs.Processed != 1 || r.Commit.Replaced != 1 {
		t.Errorf("touched and changed: %+v", r.Inputs)
	}
	// Touched again, bytes unchanged: read and hashed, not processed.
	now = now.Add(time.Second)
	os.Chtimes(page, now, now)
	if r := run(); r.Inputs.Skipped != 1 {
		t.Errorf("touched, unchanged: %+v", r.Inputs)
	}
}

// TestRunVersionChange: an input done by another version of newsfacts, or with another
// configuration that shapes the output, is processed again and its rows replaced; with the same
// version and configuration, a re-run does nothing and leaves the tables byte for byte.
func TestRunVersionChange(t *testing.T) {
	in := copyPages(t, 2)
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "run.json")
	run := func(args ...string) runRecord {
		t.Helper()
		code, _, stderr := newsfacts(t, "", append([]string{"run", "--out", out, "--summary", summary, "--workers", "2"}, args...)...)
		if code != 0 {
			t.Fatalf("run %v: exit %d: %s", args, code, stderr)
		}
		return readRecord(t, summary)
	}
	n := len(readDirNames(t, in))
	defer func(v string) { Version = v }(Version)

	first := run(in)
	if first.Inputs.Processed != n {
		t.Fatalf("first run: %+v", first.Inputs)
	}
	before := tableFiles(t, out)
	if r := run(in); r.Inputs.Processed != 0 || r.Inputs.Skipped != n {
		t.Errorf("re-run, same version: %+v", r.Inputs)
	}
	if after := tableFiles(t, out); !reflect.DeepEqual(before, after) {
		t.Errorf("a re-run with the same version changed the tables:\n%v\n%v", before, after)
	}

	// A new release: every input again, every row written by it.
	Version = "9.9.9-test"
	upgraded := run(in)
	if upgraded.ToolVersion != "9.9.9-test" || upgraded.Inputs.Processed != n || upgraded.Commit.Replaced != n {
		t.Errorf("run of another version: version %s, inputs %+v, commit %+v", upgraded.ToolVersion, upgraded.Inputs, upgraded.Commit)
	}
	for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
		if d.ToolVersion != "9.9.9-test" {
			t.Errorf("%s: tool_version %s after the upgrade", d.Source, d.ToolVersion)
		}
	}
	noDuplicates(t, out)
	before = tableFiles(t, out)
	if r := run(in); r.Inputs.Processed != 0 {
		t.Errorf("re-run of the new version: %+v", r.Inputs)
	}
	if after := tableFiles(t, out); !reflect.DeepEqual(before, after) {
		t.Errorf("a re-run of the new version changed the tables")
	}

	// Configuration that shapes the output (a cleaning operation switched off): every input
	// again; switched back on, again.
	if r := run("--clean.disable", "join_lines", in); r.Inputs.Processed != n || r.Commit.Replaced != n {
		t.Errorf("run with join_lines off: %+v %+v", r.Inputs, r.Commit)
	}
	if r := run("--clean.disable", "join_lines", in); r.Inputs.Processed != 0 {
		t.Errorf("re-run with join_lines off: %+v", r.Inputs)
	}
	if r := run(in); r.Inputs.Processed != n {
		t.Errorf("run with join_lines on again: %+v", r.Inputs)
	}
	// Configuration that does not shape it (workers, budgets within what was needed) does not.
	if r := run("--workers", "1", "--max-bytes", "32MiB", in); r.Inputs.Processed != 0 {
		t.Errorf("run with other workers and budget: %+v", r.Inputs)
	}
	noDuplicates(t, out)
}

func readDirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestRunPrune: the rows of an input deleted from the archive stay unless --prune is given;
// with it, they are removed (and the manifest forgets the input), only under the folders
// given, and never because a folder given is missing.
func TestRunPrune(t *testing.T) {
	in := copyPages(t, 3)
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "other.txt"), []byte("产值超300亿元。"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "run.json")
	run := func(args ...string) (runRecord, string) {
		t.Helper()
		code, stdout, stderr := newsfacts(t, "", append([]string{"run", "--out", out, "--summary", summary}, args...)...)
		if code != 0 {
			t.Fatalf("run %v: exit %d: %s", args, code, stderr)
		}
		return readRecord(t, summary), stdout + stderr
	}
	sourcesOf := func() []string {
		var s []string
		for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
			s = append(s, filepath.Base(d.Source))
		}
		sort.Strings(s)
		return s
	}
	run(in)
	run(other)
	all := sourcesOf()
	n := len(all)

	gone := filepath.Join(in, "2024-03-15_p01.txt")
	goneOther := filepath.Join(other, "other.txt")
	os.Remove(gone)
	os.Remove(goneOther)
	var goneID string
	for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
		if d.Source == gone {
			goneID = d.DocID
		}
	}

	// Without --prune: kept, the tables untouched.
	before := tableFiles(t, out)
	if r, _ := run(in); r.Inputs.Deleted != 0 || r.Commit.Removed != 0 {
		t.Errorf("run without --prune: %+v %+v", r.Inputs, r.Commit)
	}
	if !reflect.DeepEqual(tableFiles(t, out), before) || !slices.Equal(sourcesOf(), all) {
		t.Errorf("a run without --prune changed the dataset")
	}

	// A folder given that is not there prunes nothing under it (it is an input that failed).
	missing := filepath.Join(in, "missing-mount")
	code, _, stderr := newsfacts(t, "", "run", "--out", out, "--summary", summary, "--prune", missing)
	if r := readRecord(t, summary); code != exitSomeFailed || r.Commit.Removed != 0 || !strings.Contains(stderr, "nothing under it is pruned") {
		t.Errorf("--prune over a missing folder: exit %d, %+v\n%s", code, r.Commit, stderr)
	}

	// --prune over in: its deleted page goes, with every row of it, and so does the row of
	// the missing folder given just now (under in, not there); other.txt, deleted from a
	// folder not given, stays.
	r, log := run("--prune", in)
	if r.Inputs.Deleted != 2 || r.Commit.Removed != 2 || !slices.Equal(r.Pruned, []string{gone, missing}) || !strings.Contains(log, "pruned: 2") {
		t.Errorf("--prune: inputs %+v, commit %+v, pruned %v\n%s", r.Inputs, r.Commit, r.Pruned, log)
	}
	if got := sourcesOf(); len(got) != n-1 || slices.Contains(got, "2024-03-15_p01.txt") || slices.Contains(got, "missing-mount") || !slices.Contains(got, "other.txt") {
		t.Errorf("documents after --prune: %v", got)
	}
	for _, f := range readAllRows[output.FactRow](t, out, output.TableFacts) {
		if f.DocID == goneID {
			t.Fatalf("a fact of the pruned input is left: %+v", f)
		}
	}
	for _, a := range readAllRows[output.ArticleRow](t, out, output.TableArticles) {
		if a.DocID == goneID {
			t.Fatalf("an article of the pruned input is left: %+v", a)
		}
	}
	// Pruned once: the manifest has forgotten it.
	if r, _ := run("--prune", in); r.Inputs.Deleted != 0 || r.Commit.Removed != 0 || r.Commit.Written != 0 {
		t.Errorf("second --prune: %+v %+v", r.Inputs, r.Commit)
	}
	// A pattern prunes under the folder before its wildcard.
	os.WriteFile(filepath.Join(other, "other2.txt"), []byte("增长12%。"), 0o644)
	if r, _ := run("--prune", filepath.Join(other, "*.txt")); r.Commit.Removed != 1 || r.Inputs.Processed != 1 {
		t.Errorf("--prune with a pattern: %+v", r.Commit)
	}
	if got := sourcesOf(); slices.Contains(got, "other.txt") {
		t.Errorf("documents after --prune with a pattern: %v", got)
	}
	noDuplicates(t, out)
}

// TestRunCompaction: many small runs leave many part files until there are more small ones
// than --compact-parts; then the run's commit merges them. newsfacts compact merges at once.
// The rows are always those of one fresh run over the same inputs.
func TestRunCompaction(t *testing.T) {
	src := copyPages(t, 6)
	names := readDirNames(t, src)
	in := filepath.Join(t.TempDir(), "in")
	os.MkdirAll(in, 0o755)
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "run.json")
	files := func() int { return len(tableFiles(t, out)) / len(output.Tables) }
	// One page more per run, as an archive grows every night.
	for i, name := range names {
		b, _ := os.ReadFile(filepath.Join(src, name))
		os.WriteFile(filepath.Join(in, name), b, 0o644)
		code, _, stderr := newsfacts(t, "", "run", "--out", out, "--summary", summary, "--compact-parts", "4", in)
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", i, code, stderr)
		}
		r := readRecord(t, summary)
		if i < 4 && (files() != i+1 || r.Commit.PartsCompacted != 0) {
			t.Errorf("run %d: %d part files, compacted %d", i, files(), r.Commit.PartsCompacted)
		}
		if i == 4 && (r.Commit.PartsCompacted != 5 || files() != 1) {
			t.Errorf("run %d, past --compact-parts 4: compacted %d, %d part files", i, r.Commit.PartsCompacted, files())
		}
	}
	ref := filepath.Join(t.TempDir(), "ref")
	if code, _, stderr := newsfacts(t, "", "run", "--out", ref, in); code != 0 {
		t.Fatalf("fresh run: exit %d: %s", code, stderr)
	}
	want := dump(t, ref)
	if d := sameRows(dump(t, out), want); d != "" {
		t.Errorf("after compaction by runs: %s", d)
	}
	if files() < 2 {
		t.Fatalf("want runs after the compaction to have added parts: %d", files())
	}

	// newsfacts compact: every small part now, the rows unchanged, a record of its own.
	code, stdout, stderr := newsfacts(t, "", "compact", "--out", out, "--summary", summary)
	if code != 0 {
		t.Fatalf("compact: exit %d: %s", code, stderr)
	}
	r := readRecord(t, summary)
	if files() != 1 || r.Command != "compact" || r.Status != "committed" || r.Commit.PartsCompacted < 2 || !strings.Contains(stdout, "compacted:") {
		t.Errorf("compact: %d part files, record %+v\n%s", files(), r.Commit, stdout)
	}
	if d := sameRows(dump(t, out), want); d != "" {
		t.Errorf("after newsfacts compact: %s", d)
	}
	noDuplicates(t, out)
	// Nothing changed: a re-run does nothing and leaves the compacted files as they are.
	before := tableFiles(t, out)
	if code, _, _ := newsfacts(t, "", "run", "--out", out, "--summary", summary, "--compact-parts", "4", in); code != 0 || readRecord(t, summary).Inputs.Processed != 0 {
		t.Errorf("re-run after compact: exit %d, %+v", code, readRecord(t, summary).Inputs)
	}
	if !reflect.DeepEqual(tableFiles(t, out), before) {
		t.Errorf("a re-run after compact changed the tables")
	}

	// A run that commits every document writes one-document parts: its final commit merges
	// them into parts of the usual size, not of --checkpoint-docs. (--compact-parts 1: without
	// ../shared there are only the two pages of testdata, two parts.)
	small := filepath.Join(t.TempDir(), "small")
	code, _, stderr = newsfacts(t, "", "run", "--out", small, "--summary", summary, "--checkpoint-docs", "1", "--compact-parts", "1", in)
	if r := readRecord(t, summary); code != 0 || r.Commit.PartsCompacted != len(names) || r.Commit.Parts != 1 {
		t.Errorf("--checkpoint-docs 1: exit %d, commit %+v: %s", code, r.Commit, stderr)
	}
	if d := sameRows(dump(t, small), want); d != "" {
		t.Errorf("--checkpoint-docs 1, compacted: %s", d)
	}

	// One writer: compact is refused while a run holds the dataset; no dataset, no compact.
	holder, err := output.Open(out, output.Meta{RunID: "holder"}, output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := newsfacts(t, "", "compact", "--out", out); code != exitFatal || !strings.Contains(stderr, "being written by") {
		t.Errorf("compact on a locked dataset: exit %d: %s", code, stderr)
	}
	holder.Abort()
	if code, _, stderr := newsfacts(t, "", "compact", "--out", filepath.Join(t.TempDir(), "none")); code != exitFatal || !strings.Contains(stderr, "no dataset here") {
		t.Errorf("compact without a dataset: exit %d: %s", code, stderr)
	}
}

// TestCompactKilled kills `newsfacts compact` with SIGKILL at points of its commit: a reader
// sees the rows of one whole dataset meanwhile, and the next command on the dataset finishes
// or forgets the compaction, with no row lost and none twice.
func TestCompactKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes")
	}
	in := copyPages(t, 4)
	base := filepath.Join(t.TempDir(), "base")
	// One part per page: --checkpoint-docs 1, never compacted.
	if code, _, stderr := newsfacts(t, "", "run", "--out", base, "--checkpoint-docs", "1", "--compact-parts", "0", in); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	want := dump(t, base)
	parts := len(tableFiles(t, base)) / len(output.Tables)
	if parts < 2 {
		t.Fatalf("%d parts: nothing to compact", parts)
	}
	for _, point := range []string{"staged", "committed", "snapshot-half", "switched"} {
		t.Run(point, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if err := os.CopyFS(out, os.DirFS(base)); err != nil {
				t.Fatal(err)
			}
			cmd := cli("compact", "--out", out)
			cmd.Env = append(cmd.Env, "NEWSFACTS_TEST_CRASH_AT="+point)
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("compact was not killed at %s: %v", point, err)
			}
			if d := sameRows(dump(t, out), want); d != "" {
				t.Errorf("a reader after a kill at %s: %s", point, d)
			}
			// The next command finishes the commit (or, killed before its commit point,
			// the compaction is simply not done: compact again).
			if code, _, stderr := newsfacts(t, "", "compact", "--out", out); code != 0 {
				t.Fatalf("compact after the kill: exit %d: %s", code, stderr)
			}
			if d := sameRows(dump(t, out), want); d != "" {
				t.Errorf("after a kill at %s and compact: %s", point, d)
			}
			if n := len(tableFiles(t, out)) / len(output.Tables); n != 1 {
				t.Errorf("%d parts after compact, want 1", n)
			}
			if m, _ := filepath.Glob(filepath.Join(out, "_staging*")); len(m) != 0 {
				t.Errorf("staging left: %v", m)
			}
		})
	}
}

// TestRunFatalRecorded: a run that cannot start (its rules do not load) exits 1, and still
// leaves its run record with the reason, and a structured log line saying so.
func TestRunFatalRecorded(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "run.json")
	missing := filepath.Join(t.TempDir(), "no-rules")
	code, _, stderr := newsfacts(t, "", "run", "--out", filepath.Join(t.TempDir(), "out"), "--summary", summary,
		"--log-format", "json", "--rules", missing, "../../testdata/pages")
	if code != exitFatal {
		t.Fatalf("exit %d, want %d: %s", code, exitFatal, stderr)
	}
	r := readRecord(t, summary)
	if r.Status != "failed" || !strings.Contains(r.Error, missing) || r.RunID == "" {
		t.Errorf("run record: status %q, error %q", r.Status, r.Error)
	}
	var logged bool
	for _, line := range strings.Split(stderr, "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["level"] == "ERROR" && rec["msg"] == "run failed" &&
			rec["run"] == r.RunID && strings.Contains(fmt.Sprint(rec["error"]), missing) {
			logged = true
		}
	}
	if !logged {
		t.Errorf("no JSON log line for the failure:\n%s", stderr)
	}
}

// TestRunLargeInputFirst: with two workers, the largest input (1 MiB or more) is read and
// processed first, and its rows are still written in input order: documents come out in the
// order of the inputs, with the same rows as one worker writes.
func TestRunLargeInputFirst(t *testing.T) {
	dir := t.TempDir()
	seed, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pages", "000_db8b3177b1dab977.txt"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"a.txt":     seed,
		"b_big.txt": bytes.Repeat(seed, (hoistBytes/len(seed))+1),
		"c.txt":     []byte("该市去年引进外资12亿美元，新建企业300家。\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	items := []batchInput{{path: filepath.Join(dir, "a.txt")}, {path: filepath.Join(dir, "b_big.txt")}, {path: filepath.Join(dir, "c.txt")}}
	for workers, want := range map[int][]int{1: {0, 1, 2}, 2: {1, 0, 1, 2}} { // the hoisted input also in its place
		b := &batch{c: Config{Workers: workers}}
		if got := b.order(items); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("workers %d: read order %v, want %v", workers, got, want)
		}
	}
	small := &batch{c: Config{Workers: 2}}
	if got := small.order([]batchInput{items[0], items[2]}); fmt.Sprint(got) != "[0 1]" {
		t.Errorf("no large input: read order %v", got)
	}

	outs := map[string]string{}
	for _, workers := range []string{"1", "2"} {
		out := filepath.Join(t.TempDir(), "out")
		if code, _, stderr := newsfacts(t, "", "run", "--out", out, "--workers", workers, dir); code != 0 {
			t.Fatalf("workers %s: exit %d: %s", workers, code, stderr)
		}
		var order []string
		for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
			order = append(order, filepath.Base(d.Source))
		}
		if fmt.Sprint(order) != "[a.txt b_big.txt c.txt]" {
			t.Errorf("workers %s: documents in the order %v", workers, order)
		}
		outs[workers] = out
	}
	if d := sameRows(dump(t, outs["1"]), dump(t, outs["2"])); d != "" {
		t.Errorf("one and two workers wrote other rows: %s", d)
	}
}

// TestSettled: which results the next run keeps for an unchanged input, and which it tries
// again: a file read in parts with a part that ran out of time is retried under a larger
// budget, one with a part that could not be read always, one with a part that cannot be
// decoded never (the same bytes fail the same way).
func TestSettled(t *testing.T) {
	b := &batch{c: Config{Batch: BatchConfig{DocTimeout: 2 * time.Minute}}}
	for _, c := range []struct {
		status, stage string
		timeoutMS     int64
		want          bool
	}{
		{"ok", "", 60000, true},
		{"timeout", "process", 60000, false},
		{"timeout", "process", 120000, true},
		{"partial", "process", 60000, false},
		{"partial", "process", 120000, true},
		{"partial", "process", 0, true}, // no budget then: an internal error, not a timeout
		{"partial", "read", 120000, false},
		{"partial", "decode", 60000, true},
		{"partial", "", 60000, true}, // a PDF with pages that failed
		{"failed", "read", 60000, false},
		{"failed", "decode", 60000, true},
		{"failed", "process", 60000, false}, // parts that ran out of time and parts that failed
		{"failed", "process", 120000, true},
		{"too_large", "read", 60000, false},
	} {
		old := manifest.Entry{Status: c.status, Stage: c.stage, TimeoutMS: c.timeoutMS}
		if got := b.settled(old); got != c.want {
			t.Errorf("%s at %q with a %d ms budget (now 120000): settled %v, want %v", c.status, c.stage, c.timeoutMS, got, c.want)
		}
	}
}

// TestSegmentsAll: run reads the segmentation dictionary ahead only when every input will be
// segmented: no committed run in --out, or its last run had other rules, another configuration
// or version, or --force.
func TestSegmentsAll(t *testing.T) {
	c := Config{Out: t.TempDir()}
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	success := func(config, tool string) []byte {
		return successWith(t, set.Version, config, tool)
	}
	for _, tc := range []struct {
		name    string
		success []byte // nil: no _SUCCESS
		force   bool
		want    bool
	}{
		{"no dataset", nil, false, true},
		{"same rules, configuration and version", success(c.Hash(), toolVersion()), false, false},
		{"same, with --force", success(c.Hash(), toolVersion()), true, true},
		{"other rules", successWith(t, "0123456789ab", c.Hash(), toolVersion()), false, true},
		{"another configuration", success("0123456789ab", toolVersion()), false, true},
		{"another newsfacts", success(c.Hash(), "0.0.1"), false, true},
		{"unreadable _SUCCESS", []byte("{"), false, true},
	} {
		path := filepath.Join(c.Out, output.SuccessFile)
		os.Remove(path)
		if tc.success != nil {
			if err := os.WriteFile(path, tc.success, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		c.Batch.Force = tc.force
		if got := segmentsAll(c); got != tc.want {
			t.Errorf("%s: segmentsAll %v, want %v", tc.name, got, tc.want)
		}
	}

	// A run records in _SUCCESS the rules' version that segmentsAll compares.
	in := copyPages(t, 2)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := newsfacts(t, "", "run", "--progress=false", "--out", out, in); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	var last output.Success
	b, _ := os.ReadFile(filepath.Join(out, output.SuccessFile))
	if err := json.Unmarshal(b, &last); err != nil || last.RulesVersion != set.Version || last.ToolVersion != toolVersion() {
		t.Fatalf("_SUCCESS after a run: %+v, %v; rules version %s", last, err, set.Version)
	}
}

// successWith is a _SUCCESS file of a run with these versions.
func successWith(t *testing.T, rulesVersion, config, tool string) []byte {
	t.Helper()
	b, err := json.Marshal(output.Success{RunID: "r1", RulesVersion: rulesVersion, ConfigHash: config, ToolVersion: tool})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A folder that was not there (an archive not mounted for a night) and a pattern that matched
// nothing each leave a failed row; once they name files, the next run replaces those rows by
// the files' own, without --prune, and says so. A folder still missing keeps its row.
func TestRunRecoveredArguments(t *testing.T) {
	root := t.TempDir()
	archive, glob := filepath.Join(root, "archive"), filepath.Join(root, "glob")
	still := filepath.Join(root, "still-missing")
	pattern := filepath.Join(glob, "*.txt")
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "run.json")
	run := func() (int, runRecord, string) {
		t.Helper()
		code, stdout, stderr := newsfacts(t, "", "run", "--out", out, "--summary", summary, archive, pattern, still)
		return code, readRecord(t, summary), stdout + stderr
	}
	rows := func() []string {
		var s []string
		for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
			rel, _ := filepath.Rel(root, d.Source)
			s = append(s, rel+" "+d.Status)
		}
		sort.Strings(s)
		return s
	}
	if code, r, _ := run(); code != exitSomeFailed || r.Inputs.Recovered != 0 {
		t.Fatalf("first run: exit %d, %+v", code, r.Inputs)
	}
	if got, want := rows(), []string{"archive failed", "glob/*.txt failed", "still-missing failed"}; !slices.Equal(got, want) {
		t.Fatalf("documents after the first run: %v, want %v", got, want)
	}
	for _, dir := range []string{archive, glob} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "p1.txt"), []byte("今年全国粮食产量达到4.9亿吨。"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A missing folder given twice is one input that failed, not a run that fails.
	if code, _, stderr := newsfacts(t, "", "run", "--out", t.TempDir(), still, still+string(filepath.Separator)+"."); code != exitSomeFailed {
		t.Errorf("a missing folder given twice: exit %d\n%s", code, stderr)
	}
	code, r, log := run()
	if code != exitSomeFailed || r.Inputs.Recovered != 2 || !strings.Contains(log, "recovered: 2 folders or patterns") {
		t.Errorf("second run: exit %d, %+v\n%s", code, r.Inputs, log)
	}
	if got, want := rows(), []string{"archive/p1.txt ok", "glob/p1.txt ok", "still-missing failed"}; !slices.Equal(got, want) {
		t.Errorf("documents after the second run: %v, want %v", got, want)
	}
	// Nothing left to recover: a third run changes nothing.
	if code, r, _ := run(); code != exitSomeFailed || r.Inputs.Recovered != 0 || r.Inputs.Skipped != 3 {
		t.Errorf("third run: exit %d, %+v", code, r.Inputs)
	}
}

// A file whose name is not UTF-8 (GBK, from an archive made on Windows): its source is the
// name with its bytes as \xHH; --prune does not take it for deleted while it is there, and
// removes its rows once it is gone (the manifest's key is the name's bytes, not its JSON,
// which had lost them).
func TestRunNonUTF8Name(t *testing.T) {
	in := t.TempDir()
	name := filepath.Join(in, "\xC8\xCB\xC3\xF1_1998-01-01_p01.txt") // 人民 in GBK
	if err := os.WriteFile(name, []byte("今年全国粮食产量达到4.9亿吨。"), 0o644); err != nil {
		t.Skip("the file system refuses a name that is not UTF-8:", err)
	}
	if err := os.WriteFile(filepath.Join(in, "ok.txt"), []byte("新建企业300家。"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "run.json")
	run := func(args ...string) runRecord {
		t.Helper()
		code, _, stderr := newsfacts(t, "", append([]string{"run", "--out", out, "--summary", summary}, args...)...)
		if code != 0 {
			t.Fatalf("run %v: exit %d: %s", args, code, stderr)
		}
		return readRecord(t, summary)
	}
	run(in)
	want := output.ValidText(name)
	if !strings.HasSuffix(want, `/\xC8\xCB\xC3\xF1_1998-01-01_p01.txt`) {
		t.Fatalf("ValidText(%q) = %q", name, want)
	}
	sourcesOf := func() []string {
		var s []string
		for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
			s = append(s, d.Source)
		}
		for _, f := range readAllRows[output.FactRow](t, out, output.TableFacts) {
			s = append(s, "fact "+f.Source)
		}
		sort.Strings(s)
		return slices.Compact(s)
	}
	okPath := filepath.Join(in, "ok.txt")
	if got := sourcesOf(); !slices.Equal(got, []string{want, okPath, "fact " + want, "fact " + okPath}) {
		t.Fatalf("sources: %q", got)
	}
	if r := run("--prune", in); r.Inputs.Deleted != 0 || r.Inputs.Skipped != 2 {
		t.Errorf("--prune with the file there: %+v, pruned %q", r.Inputs, r.Pruned)
	}
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
	if r := run("--prune", in); r.Inputs.Deleted != 1 || !slices.Equal(r.Pruned, []string{want}) {
		t.Errorf("--prune with the file gone: %+v, pruned %q", r.Inputs, r.Pruned)
	}
	if got := sourcesOf(); !slices.Equal(got, []string{okPath, "fact " + okPath}) {
		t.Errorf("sources after --prune: %q", got)
	}
}

// --out and --summary inside the folder given (`newsfacts run .` writes ./out): the dataset's
// own files (manifest, parts, run records, _SUCCESS) and the record are never read as inputs,
// so a re-run finds the pages unchanged and nothing else.
func TestRunOutInsideInput(t *testing.T) {
	in := copyPages(t, 3)
	pages, _ := filepath.Glob(filepath.Join(in, "*.txt"))
	n := len(pages)
	out := filepath.Join(in, "out")
	summary := filepath.Join(in, "run.json")
	for i := 1; i <= 3; i++ {
		code, _, stderr := newsfacts(t, "", "run", "--out", out, "--summary", summary, in)
		r := readRecord(t, summary)
		if code != 0 || r.Inputs.Found != n || (i > 1 && r.Inputs.Skipped != n) {
			t.Fatalf("run %d: exit %d, %+v\n%s", i, code, r.Inputs, stderr)
		}
		if i > 1 && !strings.Contains(stderr, "the dataset's own files are not inputs") {
			t.Errorf("run %d does not say it left the dataset's files out:\n%s", i, stderr)
		}
	}
	for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
		if !strings.HasSuffix(d.Source, ".txt") || strings.HasPrefix(d.Source, out) {
			t.Errorf("a row of %s", d.Source)
		}
	}

	// --out reached through a symbolic link, inside the folder given.
	in = copyPages(t, 3)
	if err := os.MkdirAll(filepath.Join(in, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "outlink")
	if err := os.Symlink(filepath.Join(in, "out"), link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	for i := 1; i <= 2; i++ {
		code, _, stderr := newsfacts(t, "", "run", "--out", link, "--summary", summary, in)
		if r := readRecord(t, summary); code != 0 || r.Inputs.Found != n || (i > 1 && r.Inputs.Skipped != n) {
			t.Fatalf("--out %s, run %d: exit %d, %+v\n%s", link, i, code, r.Inputs, stderr)
		}
	}

	// --out the folder given itself: its pages are still inputs, the dataset's files are not.
	in = copyPages(t, 3)
	for i := 1; i <= 2; i++ {
		code, _, stderr := newsfacts(t, "", "run", "--out", in, "--summary", summary, in)
		if r := readRecord(t, summary); code != 0 || r.Inputs.Found != n || (i > 1 && r.Inputs.Skipped != n) {
			t.Fatalf("--out %s, run %d: exit %d, %+v\n%s", in, i, code, r.Inputs, stderr)
		}
	}
}

// Rows that older versions wrote for the dataset's own files (read as pages when --out was
// inside a folder given) go with --prune: the files are no longer inputs, though still there.
// The dataset is made so by a run with --out elsewhere over a folder holding out/_notes.txt,
// then moved to be that out.
func TestRunPruneOwnFiles(t *testing.T) {
	in := copyPages(t, 2)
	pages, _ := filepath.Glob(filepath.Join(in, "*.txt"))
	notes := filepath.Join(in, "out", "_notes.txt")
	if err := os.MkdirAll(filepath.Dir(notes), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(notes, []byte("新华社北京1月5日电 今年全国粮食产量达到4.9亿吨。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "ds")
	summary := filepath.Join(t.TempDir(), "run.json")
	if code, _, stderr := newsfacts(t, "", "run", "--out", elsewhere, in); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	out := filepath.Join(in, "out")
	for _, step := range []error{os.Rename(notes, filepath.Join(elsewhere, "_notes.txt")), os.Remove(out), os.Rename(elsewhere, out)} {
		if step != nil {
			t.Fatal(step)
		}
	}
	sources := func() []string {
		var got []string
		for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
			got = append(got, filepath.Base(d.Source))
		}
		sort.Strings(got)
		return got
	}
	if got := sources(); len(got) != len(pages)+1 || !slices.Contains(got, "_notes.txt") {
		t.Fatalf("the dataset made: %v", got)
	}

	// Without --prune the row stays, and the file is not read.
	code, _, stderr := newsfacts(t, "", "run", "--out", out, "--summary", summary, in)
	if r := readRecord(t, summary); code != 0 || r.Inputs.Deleted != 0 || r.Inputs.Skipped != len(pages) {
		t.Fatalf("run: exit %d, %+v\n%s", code, r.Inputs, stderr)
	}
	// With --prune it goes; the file itself stays.
	code, _, stderr = newsfacts(t, "", "run", "--out", out, "--summary", summary, "--prune", in)
	r := readRecord(t, summary)
	if code != 0 || r.Inputs.Deleted != 1 || r.Commit.Removed != 1 || !slices.Equal(r.Pruned, []string{notes}) {
		t.Errorf("--prune: exit %d, inputs %+v, commit %+v, pruned %v\n%s", code, r.Inputs, r.Commit, r.Pruned, stderr)
	}
	if got := sources(); len(got) != len(pages) || slices.Contains(got, "_notes.txt") {
		t.Errorf("documents after --prune: %v", got)
	}
	if _, err := os.Stat(notes); err != nil {
		t.Errorf("the file is gone: %v", err)
	}
}

// A text file under 4 MiB made of figures is read in parts, as a larger one is: read whole,
// 4 MB of them held every fact at once (1 GB). Every figure is a fact, cut or not; `extract`
// reads it the same way.
func TestRunDenseFileInParts(t *testing.T) {
	dir := t.TempDir()
	const n = 550_000 // "1 " each: 1.1 MB, past source.DenseBytes
	path := filepath.Join(dir, "table.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("1 ", n)), 0o644); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	parts := map[int]bool{}
	beforeProcess = func(d *pipeline.Doc) {
		mu.Lock()
		parts[d.Part.Index] = true
		mu.Unlock()
	}
	defer func() { beforeProcess = nil }()
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := newsfacts(t, "", "run", "--out", out, path)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if len(parts) < 4 {
		t.Errorf("read in %d parts, want 5 or so", len(parts))
	}
	docs := readAllRows[output.DocumentRow](t, out, output.TableDocuments)
	if len(docs) != 1 || docs[0].Facts != n || docs[0].Status != "ok" {
		t.Errorf("documents: %+v, want one with %d facts", docs, n)
	}
	code, stdout, stderr := newsfacts(t, "", "extract", "--format", "jsonl", path)
	if got := strings.Count(stdout, "\n"); code != 0 || got != n {
		t.Errorf("extract: exit %d, %d facts, want %d\n%s", code, got, n, stderr)
	}
}

// A file given by name is never taken for a recovered folder: one whose name holds ": " (which
// the failure of its argument is cut at) keeps its row once deleted, without --prune; and a
// folder given two ways is counted once.
func TestRunRecoveredNotFiles(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "a: b.txt")
	if err := os.WriteFile(file, []byte("今年全国粮食产量达到4.9亿吨。"), 0o644); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(root, "archive")
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "run.json")
	run := func(args ...string) runRecord {
		t.Helper()
		newsfacts(t, "", append([]string{"run", "--out", out, "--summary", summary}, args...)...)
		return readRecord(t, summary)
	}
	run(file, archive)
	os.Remove(file)
	os.MkdirAll(archive, 0o755)
	os.WriteFile(filepath.Join(archive, "p1.txt"), []byte("新建企业300家。"), 0o644)
	if r := run(file, archive, archive+string(filepath.Separator)+"."); r.Inputs.Recovered != 1 {
		t.Errorf("recovered %d, want 1 (the folder, given twice)", r.Inputs.Recovered)
	}
	var ok bool
	for _, d := range readAllRows[output.DocumentRow](t, out, output.TableDocuments) {
		ok = ok || (d.Source == file && d.Status == "ok")
	}
	if !ok {
		t.Errorf("the ok row of %q, deleted since, is gone without --prune", file)
	}
}

// An input that failed, whose name is not UTF-8, is unchanged on the next run like any other:
// its error, which names it, is kept whole in the manifest (read back lossy, it never matched).
func TestRunNonUTF8FailureUnchanged(t *testing.T) {
	in := t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "a\xB0\xA1.txt"), nil, 0o644); err != nil {
		t.Skip("the file system refuses a name that is not UTF-8:", err)
	}
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "run.json")
	for i := 1; i <= 2; i++ {
		code, _, stderr := newsfacts(t, "", "run", "--out", out, "--summary", summary, in)
		r := readRecord(t, summary)
		if code != exitSomeFailed || (i == 2 && (r.Inputs.Skipped != 1 || r.Inputs.Processed != 0)) {
			t.Fatalf("run %d: exit %d, %+v\n%s", i, code, r.Inputs, stderr)
		}
		if len(r.Errors) != 1 || !strings.HasSuffix(r.Errors[0].Error, `a\xB0\xA1.txt: empty file`) {
			t.Errorf("run %d: errors %+v", i, r.Errors)
		}
	}
}

// extract reads a named pipe given by name as it reads standard input (`extract <(zcat
// a.gz)`), once a writer opens it (source.TestOpenPipeCancelled: a wait Ctrl-C ends).
func TestExtractNamedPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.txt")
	switch err := mkfifo(fifo); {
	case errors.Is(err, errors.ErrUnsupported):
		t.Skip("no named pipes here")
	case err != nil:
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for extract to open it
		if err == nil {
			_, err = f.WriteString("今年全国粮食产量达到4.9亿吨。\n")
			f.Close()
		}
		done <- err
	}()
	code, stdout, stderr := newsfacts(t, "", "extract", "--format", "jsonl", fifo)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if code != 0 || !strings.Contains(stdout, `"text":"4.9亿吨"`) {
		t.Errorf("with a writer: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
