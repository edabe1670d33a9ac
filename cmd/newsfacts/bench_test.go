package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/segment"
)

// corpusInputs returns the benchmark corpus of the issue: the 278 People's Daily pages and the
// THUCNews sample from ../shared, with their total size; the benchmark is skipped without them.
func corpusInputs(b *testing.B) ([]string, int64) {
	pages := filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages")
	news := filepath.Join("..", "..", "..", "shared", "corpus", "news", "thucnews_cnews_val_1000.txt")
	var total int64
	for _, glob := range []string{filepath.Join(pages, "*.txt"), news} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if st, err := os.Stat(f); err == nil {
				total += st.Size()
			}
		}
	}
	if total == 0 {
		b.Skip("../shared/corpus is not there")
	}
	return []string{pages, news}, total
}

// BenchmarkRun measures `newsfacts run` end to end — read, decode, clean, split, segment,
// extract, write Parquet — in MB/s of input text, with 1 worker and with every CPU. The
// dictionary is loaded before the clock starts; its cost is reported as load-ms.
func BenchmarkRun(b *testing.B) {
	inputs, total := corpusInputs(b)
	for _, workers := range []int{1, runtime.NumCPU()} {
		b.Run("workers="+strconv.Itoa(workers), func(b *testing.B) {
			segment.Load()
			b.SetBytes(total)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				out := filepath.Join(b.TempDir(), "out")
				args := append([]string{"run", "--out", out, "--workers", strconv.Itoa(workers)}, inputs...)
				if code, _, stderr := newsfacts(b, "", args...); code != 0 {
					b.Fatalf("exit %d: %s", code, stderr)
				}
			}
		})
	}
}

// TestBenchCommand runs `newsfacts bench` on two small files and checks what it reports.
func TestBenchCommand(t *testing.T) {
	dir := t.TempDir()
	a := "新华社北京1月5日电 今年全国粮食产量达到4.9亿吨，比去年增长3.5%。\n"
	b := "该市去年引进外资12亿美元，新建企业300家。\n"
	for name, text := range map[string]string{"a.txt": strings.Repeat(a, 50), "b.txt": b} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prof := filepath.Join(t.TempDir(), "cpu.pprof")
	code, out, stderr := newsfacts(t, "", "bench", "--workers", "2", "--cpuprofile", prof, dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	size := 50*len(a) + len(b)
	for _, want := range []string{
		"inputs            2 files, 0.00 MB (" + strconv.Itoa(size) + " bytes), 2 workers",
		"dictionary load", "pipeline / gse", "pipeline CPU by stage",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, stage := range benchOrder {
		if !regexp.MustCompile(`(?m)^  ` + stage + ` +\d+\.\d\d s +\d+\.\d%$`).MatchString(out) {
			t.Errorf("no CPU line for stage %s:\n%s", stage, out)
		}
	}
	if !regexp.MustCompile(`(?m)^pipeline +\d+\.\d\d s wall .* peak RSS [1-9]\d* MiB$`).MatchString(out) {
		t.Errorf("no pipeline line with a peak RSS:\n%s", out)
	}
	// --cpuprofile: the pipeline's profile, as go tool pprof and the profile-guided build read it.
	raw, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("--cpuprofile wrote no profile: %v", err)
	}
	if len(p.SampleType) == 0 || p.SampleType[len(p.SampleType)-1].Type != "cpu" {
		t.Errorf("--cpuprofile: sample types %v, want cpu last", p.SampleType)
	}
}

// TestBenchScaling runs `bench --scaling 2` on a one-document input: after the measured run,
// round 1 runs one worker on one CPU and then two workers on every CPU, round 2 the other way
// round (each run's document sees its GOMAXPROCS); each round prints both wall times and their
// ratio, then the median; and GOMAXPROCS is as it was, though the last run had one CPU.
func TestBenchScaling(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	if procs < 2 {
		t.Skip("--scaling needs two CPUs")
	}
	dir := t.TempDir()
	text := strings.Repeat("新华社北京1月5日电 今年全国粮食产量达到4.9亿吨，比去年增长3.5%。\n", 200)
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []int
	beforeProcess = func(*pipeline.Doc) {
		mu.Lock()
		seen = append(seen, runtime.GOMAXPROCS(0))
		mu.Unlock()
	}
	defer func() { beforeProcess = nil }()
	code, out, stderr := newsfacts(t, "", "bench", "--workers", "2", "--scaling", "2", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := runtime.GOMAXPROCS(0); got != procs {
		t.Errorf("GOMAXPROCS after bench: %d, want %d", got, procs)
	}
	if want := []int{procs, 1, procs, procs, 1}; fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("GOMAXPROCS of each run's document: %v, want %v (the measured run, then 1 and 2 workers, then 2 and 1)", seen, want)
	}
	rounds := regexp.MustCompile(`(?m)^  round (\d) +1 worker +(\d+\.\d\d) s +2 workers +(\d+\.\d\d) s +(\d+\.\d\d)×$`).FindAllStringSubmatch(out, -1)
	if len(rounds) != 2 {
		t.Fatalf("%d round lines, want 2:\n%s", len(rounds), out)
	}
	var ratios []float64
	for i, m := range rounds {
		one, _ := strconv.ParseFloat(m[2], 64)
		many, _ := strconv.ParseFloat(m[3], 64)
		ratio, _ := strconv.ParseFloat(m[4], 64)
		if m[1] != strconv.Itoa(i+1) || one <= 0 || many <= 0 {
			t.Errorf("round line %q", m[0])
		}
		// the printed times are rounded; the ratio is of the unrounded ones
		if lo, hi := (one-0.005)/(many+0.005), (one+0.005)/max(many-0.005, 0.001); ratio < lo-0.005 || ratio > hi+0.005 {
			t.Errorf("round %d: ratio %.2f, not %.2f s / %.2f s", i+1, ratio, one, many)
		}
		ratios = append(ratios, ratio)
	}
	if m := regexp.MustCompile(`(?m)^  median +(\d+\.\d\d)× over 2 rounds$`).FindStringSubmatch(out); m == nil {
		t.Errorf("no median line:\n%s", out)
	} else if median, _ := strconv.ParseFloat(m[1], 64); median < min(ratios[0], ratios[1])-0.005 || median > max(ratios[0], ratios[1])+0.005 {
		t.Errorf("median %.2f is not between the rounds' %v", median, ratios)
	}
}

// TestBenchScalingRefused: rounds that cannot compare anything are refused before any input is
// read (the input here does not exist), with exit 2.
func TestBenchScalingRefused(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--workers", "1", "--scaling", "2"}, "--scaling compares one worker with more, and workers is 1"},
		{[]string{"--workers", "2", "--scaling", "-1"}, "--scaling -1: want a number of rounds"},
	} {
		code, _, stderr := newsfacts(t, "", append(append([]string{"bench"}, tc.args...), missing)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %s; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	if err := checkScaling(3, 2, 1); err == nil || !strings.Contains(err.Error(), "may use 1 (GOMAXPROCS)") {
		t.Errorf("one CPU: %v", err)
	}
	if err := checkScaling(0, 1, 1); err != nil {
		t.Errorf("no rounds: %v", err)
	}
}

// TestMedianRatio: the median of one-worker time over many-worker time, for odd and even counts.
func TestMedianRatio(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		rounds []scalingRound
		want   float64
	}{
		{[]scalingRound{{2 * s, s}}, 2},
		{[]scalingRound{{3 * s, 2 * s}, {2 * s, s}, {s, s}}, 1.5},
		{[]scalingRound{{3 * s, 2 * s}, {2 * s, s}, {s, s}, {4 * s, s}}, 1.75},
	} {
		if got := medianRatio(tc.rounds); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.rounds, got, tc.want)
		}
	}
}

// TestStageOf checks which stage a profile sample is charged to: the innermost marked function
// on its stack, loading first whatever it calls.
func TestStageOf(t *testing.T) {
	const nf = "github.com/newsfacts/newsfacts/"
	for _, tc := range []struct {
		stack []string // leaf first
		want  string
	}{
		{[]string{"github.com/go-ego/gse.(*Segmenter).segmentWords", nf + "pipeline/segment.Tokens", nf + "pipeline/extract.Segment", nf + "pipeline/extract.Stage"}, "segment"},
		{[]string{"regexp.(*Regexp).tryBacktrack", nf + "rules.(*Rule).Match", nf + "pipeline/extract.sentenceFacts", nf + "pipeline/extract.Facts"}, "extract"},
		{[]string{nf + "pipeline/segment.IsWord", nf + "pipeline/entity.(*Recognizer).orgPart", nf + "pipeline/entity.Stage", nf + "pipeline/extract.Facts"}, "entity"},
		{[]string{"os.ReadFile", nf + "pipeline/source.readFile", nf + "pipeline/source.Read"}, "read"},
		{[]string{"regexp.compile", nf + "rules.LoadWith", nf + "cmd/newsfacts.loadEngine"}, "load"},
		{[]string{"github.com/klauspost/compress/zstd.(*Encoder).EncodeAll", "github.com/parquet-go/parquet-go.(*Writer).Write", nf + "output.(*Dataset).Write"}, "write"},
		{[]string{"runtime.scanobject", "runtime.gcBgMarkWorker"}, "gc"},
		{[]string{nf + "pipeline/source.decodeGB18030", nf + "pipeline/source.Decode"}, "decode"},
		{[]string{"runtime.mallocgc", nf + "pipeline/clean.Clean"}, "clean"},
		{[]string{"runtime.futex", "runtime.mcall"}, "other"},
	} {
		s := &profile.Sample{}
		for _, fn := range tc.stack {
			s.Location = append(s.Location, &profile.Location{Line: []profile.Line{{Function: &profile.Function{Name: fn}}}})
		}
		if got := stageOf(s); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.stack, got, tc.want)
		}
	}
}

// TestDefaultPGO: the profile the build is guided by (default.pgo, docs/performance.md) is a
// CPU profile of the pipeline with enough samples to guide it, and it names the hot functions
// of segmentation, extraction, entities and writing under their current names; a profile gone
// stale after a rename guides those stages no more.
func TestDefaultPGO(t *testing.T) {
	raw, err := os.ReadFile("default.pgo")
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("default.pgo: %v", err)
	}
	if len(p.SampleType) == 0 || p.SampleType[len(p.SampleType)-1].Type != "cpu" {
		t.Fatalf("default.pgo: sample types %v, want cpu last", p.SampleType)
	}
	if len(p.Sample) < 500 {
		t.Errorf("default.pgo: %d samples, too few to guide a build", len(p.Sample))
	}
	names := map[string]bool{}
	for _, f := range p.Function {
		names[f.Name] = true
	}
	for _, want := range []string{
		"github.com/newsfacts/newsfacts/pipeline/segment.Tokens",
		"github.com/newsfacts/newsfacts/pipeline/extract.sentenceFacts",
		"github.com/newsfacts/newsfacts/pipeline/entity.StageRange",
		"github.com/newsfacts/newsfacts/output.(*Dataset).Write",
	} {
		if !names[want] {
			t.Errorf("default.pgo does not name %s: make it again (docs/performance.md)", want)
		}
	}
}
