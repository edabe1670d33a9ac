package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/newsfacts/newsfacts/output"
	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/pipeline/source"
	"github.com/newsfacts/newsfacts/rules"
)

func runCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run [flags] INPUT...",
		Short: "Process files, directories (recursively) and globs into the Parquet dataset",
		Long: `run reads every input — files, directories (recursively, hidden files skipped), glob patterns
(** for any depth) or - for standard input — and writes the documents, articles, facts and
entities tables under --out, one folder per table:

  SELECT * FROM read_parquet('out/facts/**/*.parquet')

A file whose name holds a date (1998-01-01_p05.txt) gets it as its publication date and page
number.

Runs are incremental: the dataset's manifest (out/_manifest.db) remembers every input's
content hash, the rule-set, configuration and newsfacts version it was processed with, its
status and where its rows are. An input already done with the same rules, configuration and
version is skipped; a changed input, or every input after a change of rules, configuration
(--pub-date, clean.disable) or newsfacts version, is processed again and its old rows are
replaced, never duplicated (--force processes everything again). Inputs given
once stay in the dataset when later runs are given others.

Runs are atomic and crash-safe: files are written aside and the tables switch to the new set
of files at once when the run commits, so a reader never sees a half-written dataset. A run
commits every --checkpoint-docs documents and at its end: an interrupted run (Ctrl-C,
SIGTERM, kill -9) leaves the dataset as its last commit left it, and the next run does the
rest; one killed in the middle of a commit has it finished by the next run. Each commit leaves a run record in
out/_runs/<run>.json and out/_SUCCESS.

Inputs deleted from the archive keep their rows unless --prune is given: a folder that is
missing for a night (a mount that failed) must not empty the dataset. With --prune, the
rows of inputs under the folders given (for a pattern, the folder before its first
wildcard) that are no longer on disk are removed at the run's commit.

Each run that writes adds part files; when more than --compact-parts of them hold fewer
than 1000 documents (or --checkpoint-docs, when larger), the run's commit merges them into
parts of that size (newsfacts compact does it at once), atomically like any commit. One run writes a dataset at a time: a second one is
refused (exit 1) with the pid of the run holding out/_lock.

Budgets: an input larger than --max-bytes is not read (status too_large); a document still in
process after --doc-timeout is abandoned (status timeout); the run goes on. A text file (or
standard input) larger than 4 MiB is read and processed in parts of 256 KiB, in the memory a few
pages need, and written as one input (docs/schema.md, "Large text files"): the budget can be
raised to 2GiB, the most one input can hold. A PDF larger than 4 MiB is read from disk, not
memory, and one of 128 pages or more is read and processed 64 pages at a time, each part
within --doc-timeout ("Large PDFs").

Sharding: --shard-index I --shard-count N takes the inputs whose path hashes to I, so N
machines given the same arguments (Kubernetes indexed jobs, Slurm arrays) split the work and
write into the same --out side by side, each under its own lock.

` + exitHelp + `
In a run, an input failed when its status is failed, too_large or timeout, whether this run
processed it or an earlier one did and it has not changed since.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			return e.run(cmd.Context(), c, args)
		},
	}
	cmd.Flags().String("out", "out", "folder the dataset is written to")
	cmd.Flags().String("max-bytes", defaultMaxBytes, "inputs larger than this are not read, status too_large (64MiB, 10MB, 1000000); text larger than 4 MiB is read in parts, in the same memory, so the budget can be raised for it")
	cmd.Flags().Duration("doc-timeout", defaultDocTimeout, "a document still in process after this is abandoned, status timeout (0: no budget)")
	cmd.Flags().String("summary", "", "write the run record as JSON to this file, whatever the outcome")
	cmd.Flags().Int("shard-index", 0, "this run's shard, 0 to --shard-count - 1")
	cmd.Flags().Int("shard-count", 1, "number of shards the inputs are split into, by a hash of their path")
	cmd.Flags().Bool("force", false, "process every input again, even those the manifest shows are done")
	cmd.Flags().Bool("progress", true, "show a progress bar when standard error is a terminal")
	cmd.Flags().Bool("prune", false, "remove the rows of inputs deleted from the folders given since an earlier run (default: keep them)")
	cmd.Flags().Int("compact-parts", defaultCompactParts, "merge the small part files when more than this many are left (0: never; see newsfacts compact)")
	cmd.Flags().Int("checkpoint-docs", output.DefaultPartDocs, "commit every this many documents, so that a run that dies loses at most that much work (0: commit at the end only; the run is then all or nothing)")
	addCommonFlags(cmd)
	return cmd
}

// run is `newsfacts run`: see runCommand's help, and docs/schema.md for the dataset's layout.
func (e *env) run(ctx context.Context, c Config, args []string) (err error) {
	t0 := time.Now()
	maxBytes, err := parseBatch(c)
	if err != nil {
		return err
	}
	runID := newRunID(t0, c.Batch.ShardIndex, c.Batch.ShardCount)
	if segmentsAll(c) {
		// The segmentation dictionary is read while the rules compile, on the CPU they leave
		// idle, rather than after them while the first documents wait for it.
		segment.Prefetch()
	}
	en, err := loadEngine(c)
	var set *rules.Set
	if en != nil { // nil when the rules do not load: the record still says why
		set = en.rules
	}
	rec := newRecord(runID, t0, c, set, args)
	defer func() {
		// The run record goes to --summary whatever the outcome.
		if rec.Status != "committed" {
			status := "failed"
			if ctx.Err() != nil {
				status = "interrupted"
			}
			rec.finish(status, err)
			if e.log != nil {
				// Also as a log record, for collectors that read only structured lines.
				e.log.Error("run "+status, "run", runID, "out", c.Out, "error", fmt.Sprint(err))
			}
		}
		if c.Batch.Summary != "" {
			if werr := writeSummary(c.Batch.Summary, rec); werr != nil {
				e.log.Error("could not write the summary", "file", c.Batch.Summary, "error", werr)
				if err == nil {
					err = werr
				}
			}
		}
	}()
	if err != nil {
		return err
	}
	b := &batch{e: e, c: c, en: en, maxBytes: maxBytes, runID: runID, rec: rec, infos: map[int]output.Input{}}

	ds, err := output.Open(c.Out, output.Meta{ToolVersion: toolVersion(), RulesVersion: en.rules.Version, ConfigHash: c.Hash(), RunID: runID},
		output.Options{ShardIndex: c.Batch.ShardIndex, ShardCount: c.Batch.ShardCount, PartDocs: c.Batch.Checkpoint, CompactParts: c.Batch.Compact, Log: func(msg string, args ...any) {
			e.log.Info(msg, append([]any{"out", c.Out}, args...)...)
		}})
	if err != nil {
		return err
	}
	defer ds.Abort() // after Commit, it only releases the lock
	inputs, errs := source.Expand(args)
	inputs = b.notOwn(inputs)
	items := b.items(inputs, errs)
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.key
	}
	prior, err := ds.Lookup(keys)
	if err != nil {
		return err
	}
	if err := b.recovered(ds, args, items, errs); err != nil {
		return err
	}
	if c.Batch.Prune {
		if err := b.prune(ds, args, items); err != nil {
			return err
		}
	}
	if c.Batch.Progress && terminal(e.stderr) {
		b.bar = newProgress(e.stderr, len(items))
		e.log = newLogger(b.bar.logWriter(e.stderr), c.LogFormat)
	}
	e.log.Info("run started", "run", runID, "inputs", len(items), "known", len(prior), "out", c.Out, "workers", c.Workers,
		"rules_version", en.rules.Version, "shard", fmt.Sprintf("%d/%d", c.Batch.ShardIndex, c.Batch.ShardCount))

	err = pipeline.RunWith(ctx, pipeline.Options{Workers: c.Workers, DocTimeout: c.Batch.DocTimeout, SourceSeq: true}, b.source(items, prior), stages(c, en), b.sink(ds))
	b.bar.finish()
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		if aerr := ds.Abort(); aerr != nil {
			e.log.Error("could not remove the staging folder", "error", aerr)
		}
		if n := ds.Commits(); n > 0 {
			return fmt.Errorf("run stopped after %d checkpoints: the dataset in %s holds the documents they committed (%d), not those processed since: %w",
				n, c.Out, rec.Commit.Written, err)
		}
		return fmt.Errorf("run stopped, the dataset in %s is unchanged: %w", c.Out, err)
	}
	info, err := ds.Commit(b.record("committed"))
	if err != nil {
		return err
	}
	rec.Commit = &info
	e.log.Info("run committed", "run", runID, "processed", rec.Inputs.Processed, "skipped", rec.Inputs.Skipped,
		"replaced", info.Replaced, "pruned", info.Removed, "compacted", info.PartsCompacted, "parts", info.Parts, "seconds", rec.Seconds)
	rec.print(e.stdout)
	if b.fails > 0 {
		return errSomeFailed
	}
	return nil
}

// segmentsAll reports whether a run will segment every input, as far as can be known before
// the rules are compiled: the dataset in --out has no committed run, or its last was made with
// other rules (a rule edited: the researcher's usual re-run), another configuration or
// newsfacts, or --force. Otherwise the inputs may all be unchanged, and a run with nothing new
// would pay for reading the dictionary (27 MB, 50 ms of CPU that the rules' compilation needs):
// it is loaded when the first input to segment is found.
func segmentsAll(c Config) bool {
	if c.Batch.Force {
		return true
	}
	b, err := os.ReadFile(filepath.Join(c.Out, output.SuccessFile))
	if err != nil {
		return true // no dataset yet (or one Open will say more about)
	}
	var last output.Success
	if err := json.Unmarshal(b, &last); err != nil {
		return true
	}
	if last.ConfigHash != c.Hash() || last.ToolVersion != toolVersion() {
		return true
	}
	version, err := rules.VersionWith(c.Rules.Paths, c.Rules.Disable)
	return err != nil || version != last.RulesVersion // an error: the run stops at the rules' load
}

// writeSummary writes the run record to path, atomically.
func writeSummary(path string, rec *runRecord) error {
	body, err := rec.json()
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, body, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// missingDoc records an argument that named nothing readable, so that it too appears in the
// documents table with its reason.
func missingDoc(err error) *pipeline.Doc {
	h := sha256.Sum256([]byte("missing:" + err.Error()))
	d := &pipeline.Doc{ID: hex.EncodeToString(h[:8]), Source: argOf(err), Format: "text"}
	d.Fail("read", err)
	return d
}

func argOf(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i > 0 {
		return s[:i]
	}
	return s
}

func extractCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "extract [flags] [FILE...|-]",
		Short: "Print the facts and entities found in text files or standard input",
		Long: `extract prints what newsfacts finds, without writing a dataset. With --input-format text each
file (or standard input, given as - or no argument) is one document whose id is its path. With
--input-format jsonl each input line is one document:

  {"id": "...", "text": "...", "pub_date": "YYYY-MM-DD"}

--format jsonl prints one JSON object per fact or entity, in document order, with the fields of
design.md (doc_id, kind, text, start, end, value, value_max, unit, qualifier, date, date_end,
metric, subject, role, sentence, rule); --format table aligns them for reading.

` + exitHelp,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			return e.extract(cmd.Context(), c, args)
		},
	}
	cmd.Flags().String("input-format", "text", "text (a file is a document) or jsonl (a line is a document)")
	cmd.Flags().String("format", "", "jsonl or table (default: table on a terminal, jsonl otherwise)")
	addCommonFlags(cmd)
	return cmd
}

func (e *env) extract(ctx context.Context, c Config, args []string) error {
	en, err := loadEngine(c)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	format := c.Format
	if format == "" {
		format = "jsonl"
		if f, ok := e.stdout.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
			format = "table"
		}
	}
	bw := bufio.NewWriterSize(e.stdout, 1<<16)
	defer bw.Flush()
	var write func(*pipeline.Doc) error
	var flush func() error
	if format == "table" {
		t := output.NewTable(bw)
		write, flush = t.Write, t.Flush
	} else {
		j := output.NewJSONL(bw)
		write, flush = j.Write, j.Flush
	}
	failed := 0
	sink := func(d *pipeline.Doc) error {
		if d.Failed() {
			failed++
			fmt.Fprintf(e.stderr, "newsfacts: %s\n", d.Error)
			return nil
		}
		return write(d)
	}
	if err := pipeline.Run(ctx, c.Workers, e.inputSource(c, args, &failed), stages(c, en), sink); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if failed > 0 {
		return errSomeFailed
	}
	return nil
}

// jsonlDoc is one line of --input-format jsonl.
type jsonlDoc struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	PubDate string `json:"pub_date"`
}

// inputSource reads the inputs of extract and diff: JSON Lines documents, or files, folders,
// globs and stdin, each document's id its path as given. Inputs that cannot be listed are
// counted in failed and named on stderr.
func (e *env) inputSource(c Config, args []string, failed *int) pipeline.Source {
	if c.InputFormat == "jsonl" {
		return e.jsonlSource(args, failed)
	}
	return func(ctx context.Context, emit func(*pipeline.Doc) error) error {
		inputs, errs := source.Expand(args)
		for _, err := range errs {
			*failed++
			fmt.Fprintf(e.stderr, "newsfacts: %v\n", err)
		}
		for _, in := range inputs {
			path, stdin, rin := in.Path, e.stdin, in
			fi, statErr := os.Stat(path)
			// A named pipe given by name (extract <(zcat a.gz)) is read as standard input is;
			// one found in a folder or by a pattern is refused (source.Read), not waited on.
			isPipe := in.Path != "-" && statErr == nil && fi.Mode()&os.ModeNamedPipe != 0 && slices.Contains(args, in.Path)
			if in.Path == "-" || isPipe {
				what, r := "standard input", io.Reader(e.stdin)
				var err error
				if isPipe {
					what = in.Path
					var p io.ReadCloser
					if p, err = source.OpenPipe(ctx, in.Path); err == nil {
						defer p.Close()
						r = p
					} else {
						err = fmt.Errorf("%s: %w", in.Path, err)
					}
				}
				var whole []byte
				var size int64
				if err == nil {
					whole, path, size, err = source.Spool(r, source.MaxFileBytes)
				}
				if err == nil && size > source.MaxFileBytes {
					err = fmt.Errorf("%s: more than %d bytes, the most one input can hold (the tables' offsets are 32-bit)", what, int64(source.MaxFileBytes))
				}
				if err != nil {
					d := &pipeline.Doc{ID: output.ValidText(in.Path), Source: in.Path, Format: "text"}
					d.Fail("read", err)
					if err := emit(d); err != nil {
						return err
					}
					continue
				}
				if path != "" {
					defer os.Remove(path) // the copy of a large or dense input, to read in parts
				}
				stdin, rin = bytes.NewReader(whole), source.Input{Path: "-", Name: in.Path} // no file but the copy, if any
			}
			spooled := (in.Path == "-" || isPipe) && path != ""
			if spooled || path != "" && statErr == nil && fi.Mode().IsRegular() && source.InParts(path, fi.Size()) {
				// A large text file, a part at a time (source.ReadParts).
				err := source.ReadParts(ctx, path, in.Path, nil, 0, func(d *pipeline.Doc) error {
					d.ID = output.ValidText(in.Path) // a name that is not UTF-8 is told apart (JSON would not)
					return emit(d)
				})
				if err != nil {
					return err
				}
				continue
			}
			d := source.Read(rin, stdin)
			d.ID = output.ValidText(in.Path)
			if err := emit(d); err != nil {
				return err
			}
		}
		return nil
	}
}

func (e *env) jsonlSource(args []string, failed *int) pipeline.Source {
	return func(ctx context.Context, emit func(*pipeline.Doc) error) error {
		for _, name := range args {
			var r io.Reader
			if name == "-" {
				r = e.stdin
			} else {
				f, err := os.Open(name)
				if err != nil {
					*failed++
					fmt.Fprintf(e.stderr, "newsfacts: %v\n", err)
					continue
				}
				defer f.Close()
				r = f
			}
			br := bufio.NewReaderSize(r, 1<<20)
			for lineNo := 1; ; lineNo++ {
				line, err := br.ReadBytes('\n')
				if len(strings.TrimSpace(string(line))) > 0 {
					var jd jsonlDoc
					if jerr := json.Unmarshal(line, &jd); jerr != nil {
						*failed++
						fmt.Fprintf(e.stderr, "newsfacts: %s:%d: not a JSON document line: %v\n", name, lineNo, jerr)
					} else {
						if jd.ID == "" {
							jd.ID = fmt.Sprintf("%s:%d", name, lineNo)
						}
						if jd.PubDate != "" {
							if _, perr := time.Parse("2006-01-02", jd.PubDate); perr != nil {
								fmt.Fprintf(e.stderr, "newsfacts: %s:%d: pub_date %q is not YYYY-MM-DD; ignored\n", name, lineNo, jd.PubDate)
								jd.PubDate = ""
							}
						}
						d := &pipeline.Doc{ID: jd.ID, Source: fmt.Sprintf("%s:%d", name, lineNo), Format: "jsonl",
							Raw: strings.ReplaceAll(jd.Text, "\r\n", "\n"), Encoding: "utf-8", Size: int64(len(jd.Text)), Pages: 1, PubDate: jd.PubDate}
						if err := emit(d); err != nil {
							return err
						}
					}
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					return fmt.Errorf("%s:%d: %w", name, lineNo, err)
				}
			}
		}
		return nil
	}
}

func cleanCommand(e *env) *cobra.Command {
	var ops []string
	for _, op := range clean.Ops {
		ops = append(ops, fmt.Sprintf("  %-11s %s", op.Name, op.Doc))
	}
	cmd := &cobra.Command{
		Use:   "clean [flags] FILE|-",
		Short: "Print the cleaned text of one input (or, with --diff, every edit)",
		Long: `clean prints the text exactly as the extraction rules see it. --diff lists every edit instead:
operation, raw span in code points, what was there and what replaced it.

Operations, in order (switch one off with --clean.disable NAME or clean.disable in newsfacts.yaml):
` + strings.Join(ops, "\n") + `

` + exitHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			d := source.Read(source.Input{Path: args[0]}, e.stdin)
			if !d.Failed() {
				source.Decode(d)
			}
			if d.Failed() {
				fmt.Fprintf(e.stderr, "newsfacts: %s\n", d.Error)
				return errSomeFailed
			}
			en, err := loadEngine(c)
			if err != nil {
				return err
			}
			clean.Stage(d, en.cleanOptions(c))
			bw := bufio.NewWriter(e.stdout)
			defer bw.Flush()
			if !c.Diff {
				_, err := bw.WriteString(d.Text)
				return err
			}
			for _, ed := range d.Edits {
				fmt.Fprintf(bw, "%s\t%d-%d\t%q\t%q\n", ed.Op, ed.RawStart, ed.RawEnd, ed.Old, ed.New)
			}
			return nil
		},
	}
	cmd.Flags().Bool("diff", false, "list the edits instead of printing the text")
	cmd.Flags().String("log-format", "text", "log format on stderr: text or json")
	cmd.Flags().StringSlice("clean.disable", nil, "cleaning operations to switch off, by name")
	addRulesFlags(cmd)
	return cmd
}
