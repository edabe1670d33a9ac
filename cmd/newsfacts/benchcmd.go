package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/pprof/profile"
	"github.com/spf13/cobra"

	"github.com/newsfacts/newsfacts/output"
	"github.com/newsfacts/newsfacts/pipeline/procstat"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/pipeline/source"
)

// benchInputs are the inputs `newsfacts bench` measures when it is given none: the corpus of
// issue 9 beside the repository, those of them that exist.
var benchInputs = []string{
	filepath.Join("..", "shared", "corpus", "pd1998", "pages"),
	filepath.Join("..", "shared", "corpus", "news"),
}

func benchCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench [flags] [INPUT...]",
		Short: "Measure the pipeline against gse's segmentation alone, on the same inputs, in one process",
		Long: `bench runs, in one process, the whole pipeline over the inputs exactly as run does (read,
decode, clean, split, segment, extract, entities, Parquet written to a temporary folder that is
removed afterwards), then gse's segmentation alone over the same inputs (read, decode, then
gse's Segment on every line, with the same number of workers). It prints:

  - the throughput of each, in MB of input bytes per second of wall time, with and without
    the dictionary load (loaded once, before both, and counted for both "with start-up");
  - their ratio;
  - the CPU time of the pipeline split by stage (read, decode, clean, split, segment,
    extract, entity, write, gc, other), from a CPU profile of the run: a sample belongs to
    the innermost stage on its stack;
  - the peak resident memory (VmHWM) of the process during each part.

Without INPUT, bench measures ../shared/corpus/pd1998/pages and ../shared/corpus/news, those
that exist.

--cpuprofile FILE also writes the pipeline's CPU profile, for go tool pprof, and for the
profile-guided build: cmd/newsfacts/default.pgo is such profiles merged (docs/performance.md).

--scaling N then runs the pipeline N more times with one worker on one CPU (GOMAXPROCS=1) and
N times with --workers on the process's CPUs (all of them unless GOMAXPROCS is set), alternating
which of the two goes first, and prints each round's wall times, their ratio and the median
ratio: what --workers buys on this machine. Each of these runs loads its rules and entity
dictionaries and writes and commits a dataset, as run does; the process's start and the
segmentation dictionary's load, done once before them, are left out.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			return e.bench(cmd.Context(), c, args)
		},
	}
	cmd.Flags().String("cpuprofile", "", "write the pipeline's CPU profile (pprof format) to this file")
	cmd.Flags().Int("scaling", 0, "also time this many rounds of one worker on one CPU against --workers, and print their ratio")
	addCommonFlags(cmd)
	return cmd
}

// benchReport is what bench measured.
type benchReport struct {
	Files            int
	Bytes            int64
	Workers          int
	Load             time.Duration // newsfacts' dictionary load, wall
	GseLoad          time.Duration // gse's own dictionary load, wall
	Pipeline, Gse    time.Duration // wall, dictionary already loaded
	PipeCPU, GseCPU  time.Duration // user+sys of the process during each part
	PipeRSS, GseRSS  int64         // peak resident bytes during each part
	Stages           map[string]time.Duration
	PipelineFailures bool
	Scaling          []scalingRound // --scaling: one worker against Workers, round by round
}

// scalingRound is one round of --scaling: the wall time of the pipeline with one worker on one
// CPU, and with the report's workers on every CPU.
type scalingRound struct{ One, Many time.Duration }

func (e *env) bench(ctx context.Context, c Config, args []string) error {
	if err := checkScaling(c.Scaling, max(1, c.Workers), runtime.GOMAXPROCS(0)); err != nil {
		return err
	}
	if len(args) == 0 {
		for _, in := range benchInputs {
			if _, err := os.Stat(in); err == nil {
				args = append(args, in)
			}
		}
		if len(args) == 0 {
			return usageError{fmt.Errorf("no INPUT given and the default corpus (%s) is not there", strings.Join(benchInputs, ", "))}
		}
	}
	inputs, errs := source.Expand(args)
	if len(errs) > 0 {
		return errs[0]
	}
	rep := benchReport{Files: len(inputs), Workers: max(1, c.Workers), Stages: map[string]time.Duration{}}
	for _, in := range inputs {
		st, err := os.Stat(in.Path)
		if err != nil {
			return err
		}
		rep.Bytes += st.Size()
	}

	tmp, err := os.MkdirTemp("", "newsfacts-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// The dictionaries: newsfacts' lexicon (from the cache, or from gse's dictionary when
	// there is no cache yet) for the pipeline, and gse's own for gse alone, loaded when it
	// starts: each side's start-up is its own.
	t0 := time.Now()
	segment.Load()
	rep.Load = time.Since(t0)

	// The pipeline, as `newsfacts run` runs it, with the defaults of its flags.
	pc := c
	pc.Out = filepath.Join(tmp, "out")
	pc.Batch = BatchConfig{MaxBytes: defaultMaxBytes, DocTimeout: defaultDocTimeout, ShardCount: 1, Checkpoint: output.DefaultPartDocs}
	quiet := &env{stdin: e.stdin, stdout: io.Discard, stderr: io.Discard, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var prof bytes.Buffer
	if err := pprof.StartCPUProfile(&prof); err != nil {
		return err
	}
	cpu0, t1 := procstat.CPU(), time.Now()
	err = quiet.run(ctx, pc, args)
	rep.Pipeline, rep.PipeCPU = time.Since(t1), procstat.CPU()-cpu0
	pprof.StopCPUProfile()
	rep.PipeRSS = procstat.PeakRSS()
	if ctx.Err() != nil {
		return fmt.Errorf("bench: stopped: %w", ctx.Err()) // its dataset is a temporary folder, removed
	}
	if errors.Is(err, errSomeFailed) {
		rep.PipelineFailures = true
	} else if err != nil {
		return fmt.Errorf("bench: the pipeline's run failed: %w", err)
	}
	if rep.Stages, err = stageTimes(prof.Bytes()); err != nil {
		return fmt.Errorf("bench: reading the CPU profile: %w", err)
	}
	if c.CPUProfile != "" {
		if err := os.WriteFile(c.CPUProfile, prof.Bytes(), 0o644); err != nil {
			return fmt.Errorf("bench: --cpuprofile: %w", err)
		}
	}
	os.RemoveAll(pc.Out)
	if c.Scaling > 0 {
		if rep.Scaling, err = benchScaling(ctx, quiet, pc, args, c.Scaling, rep.Workers); err != nil {
			return err
		}
	}

	// gse alone, same inputs, same workers, after the pipeline's garbage is returned.
	runtime.GC()
	debug.FreeOSMemory()
	procstat.ResetPeakRSS()
	t0 = time.Now()
	segment.Gse()
	rep.GseLoad = time.Since(t0)
	cpu0, t1 = procstat.CPU(), time.Now()
	if err := gseAlone(ctx, inputs, rep.Workers); err != nil {
		return err
	}
	rep.Gse, rep.GseCPU = time.Since(t1), procstat.CPU()-cpu0
	rep.GseRSS = procstat.PeakRSS()
	rep.print(e.stdout)
	return nil
}

// checkScaling refuses --scaling rounds that cannot compare anything, before any work: a
// negative count, one worker, or a process that may use one CPU.
func checkScaling(rounds, workers, procs int) error {
	switch {
	case rounds < 0:
		return usageError{fmt.Errorf("--scaling %d: want a number of rounds, 0 for none", rounds)}
	case rounds == 0:
		return nil
	case workers < 2:
		return usageError{fmt.Errorf("--scaling compares one worker with more, and workers is %d: give --workers 2 or more", workers)}
	case procs < 2:
		return usageError{fmt.Errorf("--scaling compares one CPU with more, and this process may use %d (GOMAXPROCS)", procs)}
	}
	return nil
}

// benchScaling runs the pipeline as bench's first run did, rounds times with one worker and
// GOMAXPROCS=1 and rounds times with workers and the process's GOMAXPROCS, alternating which
// goes first so that a change in the machine's load falls on both. Each run starts after a
// collection, into a folder of its own that is removed after it.
func benchScaling(ctx context.Context, quiet *env, pc Config, args []string, rounds, workers int) ([]scalingRound, error) {
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	out := pc.Out
	timed := func(n int) (time.Duration, error) {
		c := pc
		c.Workers, c.Out = n, out+"-scaling"
		runtime.GOMAXPROCS(procs)
		if n == 1 {
			runtime.GOMAXPROCS(1)
		}
		runtime.GC()
		t := time.Now()
		err := quiet.run(ctx, c, args)
		d := time.Since(t)
		os.RemoveAll(c.Out)
		if ctx.Err() != nil {
			return 0, fmt.Errorf("bench: stopped during the --scaling rounds: %w", ctx.Err())
		}
		if err != nil && !errors.Is(err, errSomeFailed) {
			what := "one worker"
			if n > 1 {
				what = fmt.Sprintf("%d workers", n)
			}
			return 0, fmt.Errorf("bench: a --scaling run with %s failed: %w", what, err)
		}
		return d, nil
	}
	var res []scalingRound
	for i := 0; i < rounds; i++ {
		var r scalingRound
		var err error
		if i%2 == 0 {
			if r.One, err = timed(1); err == nil {
				r.Many, err = timed(workers)
			}
		} else {
			if r.Many, err = timed(workers); err == nil {
				r.One, err = timed(1)
			}
		}
		if err != nil {
			return nil, err
		}
		res = append(res, r)
	}
	return res, nil
}

// medianRatio is the median of the rounds' one-worker time over many-worker time.
func medianRatio(rounds []scalingRound) float64 {
	ratios := make([]float64, len(rounds))
	for i, r := range rounds {
		ratios[i] = r.One.Seconds() / r.Many.Seconds()
	}
	sort.Float64s(ratios)
	n := len(ratios)
	if n%2 == 1 {
		return ratios[n/2]
	}
	return (ratios[n/2-1] + ratios[n/2]) / 2
}

// gseAlone reads and decodes every input and segments it, line by line, with gse's Segment
// (the call the pipeline makes), on the given number of workers.
func gseAlone(ctx context.Context, inputs []source.Input, workers int) error {
	seg := segment.Gse()
	lines := make(chan string, 4*workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range lines {
				for _, line := range strings.Split(chunk, "\n") {
					if line != "" {
						seg.Segment([]byte(line))
					}
				}
			}
		}()
	}
	var err error
	for _, in := range inputs {
		if err = ctx.Err(); err != nil {
			break
		}
		d := source.Read(in, nil)
		source.Decode(d)
		if d.Failed() {
			continue
		}
		// Chunks of about 64 KB of whole lines, so that one large file keeps every worker busy.
		text := d.Raw
		for len(text) > 0 {
			n := min(len(text), 64<<10)
			if i := strings.IndexByte(text[n:], '\n'); i >= 0 {
				n += i + 1
			} else {
				n = len(text)
			}
			lines <- text[:n]
			text = text[n:]
		}
	}
	close(lines)
	wg.Wait()
	return err
}

// benchStages are the stages of the CPU split and the functions that mark them: a profile
// sample belongs to the innermost marked function on its stack (segment.Tokens inside
// extract.Stage is segmentation; a helper of Decode is decoding). Loading (rules, lexicon,
// entity dictionaries, gse dictionary) is split off first, whatever it calls.
var benchStages = []struct{ name, marker string }{
	{"segment", "/pipeline/segment.Tokens"},
	{"entity", "/pipeline/entity."},
	{"extract", "/pipeline/extract."},
	{"split", "/pipeline/split."},
	{"clean", "/pipeline/clean."},
	{"decode", "/pipeline/source.Decode"},
	{"read", "/pipeline/source.Read"},
	{"write", "github.com/newsfacts/newsfacts/output."},
	{"write", "github.com/parquet-go/"},
	{"gc", "runtime.gcBgMarkWorker"},
}

var benchOrder = []string{"load", "read", "decode", "clean", "split", "segment", "extract", "entity", "write", "gc", "other"}

// stageTimes splits a CPU profile's samples by stage.
func stageTimes(raw []byte) (map[string]time.Duration, error) {
	p, err := profile.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	cpu := -1
	for i, st := range p.SampleType {
		if st.Type == "cpu" {
			cpu = i
		}
	}
	if cpu < 0 {
		return nil, errors.New("no cpu samples in the profile")
	}
	out := map[string]time.Duration{}
	for _, s := range p.Sample {
		out[stageOf(s)] += time.Duration(s.Value[cpu])
	}
	return out, nil
}

func stageOf(s *profile.Sample) string {
	for _, loc := range s.Location {
		for _, l := range loc.Line {
			if l.Function != nil && (strings.Contains(l.Function.Name, ".loadEngine") || strings.Contains(l.Function.Name, "/pipeline/segment.Load")) {
				return "load"
			}
		}
	}
	for _, loc := range s.Location { // leaf first; within a location, inlined calls innermost first
		for _, l := range loc.Line {
			if l.Function == nil {
				continue
			}
			for _, st := range benchStages {
				if strings.Contains(l.Function.Name, st.marker) {
					return st.name
				}
			}
		}
	}
	return "other"
}

func (r benchReport) print(w io.Writer) {
	mb := float64(r.Bytes) / 1e6
	rate := func(d time.Duration) float64 { return mb / d.Seconds() }
	pipeAll, gseAll := r.Load+r.Pipeline, r.GseLoad+r.Gse
	fmt.Fprintf(w, "inputs            %d files, %.2f MB (%d bytes), %d workers, %d CPUs\n", r.Files, mb, r.Bytes, r.Workers, runtime.NumCPU())
	fmt.Fprintf(w, "dictionary load   %.2f s newsfacts (its lexicon), %.2f s gse (its own)\n", r.Load.Seconds(), r.GseLoad.Seconds())
	fmt.Fprintf(w, "pipeline          %6.2f s wall %6.2f s CPU  %6.2f MB/s  (%.2f MB/s with start-up)  peak RSS %d MiB\n",
		r.Pipeline.Seconds(), r.PipeCPU.Seconds(), rate(r.Pipeline), rate(pipeAll), r.PipeRSS>>20)
	fmt.Fprintf(w, "gse alone         %6.2f s wall %6.2f s CPU  %6.2f MB/s  (%.2f MB/s with start-up)  peak RSS %d MiB\n",
		r.Gse.Seconds(), r.GseCPU.Seconds(), rate(r.Gse), rate(gseAll), r.GseRSS>>20)
	fmt.Fprintf(w, "pipeline / gse    %.0f%% with start-up, %.0f%% without\n",
		100*rate(pipeAll)/rate(gseAll), 100*rate(r.Pipeline)/rate(r.Gse))
	var total time.Duration
	for _, d := range r.Stages {
		total += d
	}
	fmt.Fprintf(w, "pipeline CPU by stage (profile, %.2f s sampled):\n", total.Seconds())
	names := append([]string(nil), benchOrder...)
	for name := range r.Stages {
		if !contains(strings.Join(benchOrder, " "), name) {
			names = append(names, name)
		}
	}
	sort.SliceStable(names[len(benchOrder):], func(i, j int) bool { return names[len(benchOrder)+i] < names[len(benchOrder)+j] })
	for _, name := range names {
		d := r.Stages[name]
		share := 0.0
		if total > 0 {
			share = 100 * float64(d) / float64(total)
		}
		fmt.Fprintf(w, "  %-8s %7.2f s %5.1f%%\n", name, d.Seconds(), share)
	}
	if len(r.Scaling) > 0 {
		fmt.Fprintf(w, "scaling, in this process (its start and the dictionary's load left out; one worker with GOMAXPROCS=1):\n")
		for i, sr := range r.Scaling {
			fmt.Fprintf(w, "  round %-3d 1 worker %6.2f s   %d workers %6.2f s   %.2f×\n",
				i+1, sr.One.Seconds(), r.Workers, sr.Many.Seconds(), sr.One.Seconds()/sr.Many.Seconds())
		}
		fmt.Fprintf(w, "  median    %.2f× over %d rounds\n", medianRatio(r.Scaling), len(r.Scaling))
	}
	if r.PipelineFailures {
		fmt.Fprintln(w, "note: some inputs failed in the pipeline (see newsfacts run)")
	}
}
