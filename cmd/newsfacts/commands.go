package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/newsfacts/newsfacts/output"
	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/pipeline/source"
)

func runCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run [flags] INPUT...",
		Short: "Process files, directories (recursively) and globs into the Parquet dataset",
		Long: `run reads every input — files, directories (recursively, hidden files skipped), glob patterns
(** for any depth) or - for standard input — and writes the documents, articles, facts and
entities tables under --out, one folder per table:

  SELECT * FROM read_parquet('out/facts/**/*.parquet')

Files are written aside and moved into place only when the run completes, so an interrupted
run (Ctrl-C) leaves the previous dataset as it was. A file whose name holds a date
(1998-01-01_p05.txt) gets it as its publication date and page number.

` + exitHelp,
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
	addCommonFlags(cmd)
	return cmd
}

func (e *env) run(ctx context.Context, c Config, args []string) error {
	t0 := time.Now()
	set, err := loadRules(c)
	if err != nil {
		return err
	}
	inputs, errs := source.Expand(args)
	runID := t0.UTC().Format("20060102T150405Z") + "-" + fmt.Sprintf("%d", os.Getpid())
	ds, err := output.Create(c.Out, output.Meta{ToolVersion: toolVersion(), RulesVersion: set.Version, ConfigHash: c.Hash(), RunID: runID})
	if err != nil {
		return err
	}
	segment.Load()
	e.log.Info("run started", "inputs", len(inputs), "out", c.Out, "workers", c.Workers, "rules_version", set.Version)
	sum := newSummary()
	src := func(ctx context.Context, emit func(*pipeline.Doc) error) error {
		for _, err := range errs {
			if err := emit(missingDoc(err)); err != nil {
				return err
			}
		}
		for _, in := range inputs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := emit(source.Read(in, e.stdin)); err != nil {
				return err
			}
		}
		return nil
	}
	sink := func(d *pipeline.Doc) error {
		sum.add(d)
		if d.Failed() {
			e.log.Warn("input failed", "file", d.Source, "stage", d.Stage, "error", d.Error)
		}
		return ds.Write(d)
	}
	err = pipeline.Run(ctx, c.Workers, src, stages(c, set), sink)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		if aerr := ds.Abort(); aerr != nil {
			e.log.Error("could not remove the staging folder", "error", aerr)
		}
		return fmt.Errorf("run stopped, the dataset in %s is unchanged: %w", c.Out, err)
	}
	if err := ds.Commit(); err != nil {
		return err
	}
	sum.print(e.stdout, c.Out, time.Since(t0))
	if sum.failed > 0 {
		return errSomeFailed
	}
	return nil
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

type summary struct {
	docs, ok, partial, failed int
	bytes                     int64
	kinds                     map[string]int
	entities                  int
}

func newSummary() *summary { return &summary{kinds: map[string]int{}} }

func (s *summary) add(d *pipeline.Doc) {
	s.docs++
	s.bytes += d.Size
	switch d.Status {
	case pipeline.StatusFailed:
		s.failed++
	case pipeline.StatusPartial:
		s.partial++
	default:
		s.ok++
	}
	for _, f := range d.Facts {
		s.kinds[f.Kind]++
	}
	s.entities += len(d.Entities)
}

func (s *summary) print(w io.Writer, out string, took time.Duration) {
	fmt.Fprintf(w, "documents: %d (ok %d, partial %d, failed %d)\n", s.docs, s.ok, s.partial, s.failed)
	var kinds []string
	total := 0
	for k, n := range s.kinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
		total += n
	}
	sort.Strings(kinds)
	fmt.Fprintf(w, "facts: %d (%s)\n", total, strings.Join(kinds, ", "))
	fmt.Fprintf(w, "entities: %d\n", s.entities)
	mb := float64(s.bytes) / 1e6
	fmt.Fprintf(w, "time: %.2fs for %.1f MB (%.2f MB/s)\n", took.Seconds(), mb, mb/took.Seconds())
	fmt.Fprintf(w, "dataset: %s/{documents,articles,facts,entities}/\n", out)
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
	set, err := loadRules(c)
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
	var src pipeline.Source
	if c.InputFormat == "jsonl" {
		src = e.jsonlSource(args, &failed)
	} else {
		src = func(ctx context.Context, emit func(*pipeline.Doc) error) error {
			inputs, errs := source.Expand(args)
			for _, err := range errs {
				failed++
				fmt.Fprintf(e.stderr, "newsfacts: %v\n", err)
			}
			for _, in := range inputs {
				d := source.Read(in, e.stdin)
				d.ID = in.Path
				if err := emit(d); err != nil {
					return err
				}
			}
			return nil
		}
	}
	if err := pipeline.Run(ctx, c.Workers, src, stages(c, set), sink); err != nil {
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
			set, err := loadRules(c)
			if err != nil {
				return err
			}
			lx, err := clean.LexiconFor(set)
			if err != nil {
				return err
			}
			clean.Stage(d, clean.Options{Disable: c.Clean.Disable, Lexicon: lx})
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
