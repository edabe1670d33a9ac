package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/segment"
)

// Exit codes, documented in the README and in --help.
const (
	exitOK         = 0
	exitFatal      = 1
	exitUsage      = 2
	exitSomeFailed = 3
)

const exitHelp = `Exit codes: 0 success; 1 fatal error (configuration, rules, output I/O); 2 usage error;
3 the run finished but some inputs failed (each is listed on stderr and in the documents table).`

// Version is the tool's version, written into every Parquet file.
var Version = "0.1.0-dev"

func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return Version + "+" + s.Value[:12]
			}
		}
	}
	return Version
}

// env is what a command needs from the process: its streams, so that tests run it in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
}

// Main runs the command line and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "newsfacts",
		Short: "Turn Chinese newspaper pages into a Parquet dataset of structured facts",
		Long: `newsfacts reads newspaper pages (UTF-8, GB18030/GBK or UTF-16 text), cleans OCR and layout
debris, splits pages into articles and sentences, extracts money, counts, percentages,
quantities, durations and dates with the rule sets in rules/, and writes Parquet.

Configuration comes from flags, then NEWSFACTS_* environment variables (NEWSFACTS_PUB_DATE,
NEWSFACTS_WORKERS, NEWSFACTS_CLEAN_DISABLE …), then newsfacts.yaml (or --config FILE), then
the defaults.

` + exitHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       toolVersion(),
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().String("config", "", "configuration file (default ./newsfacts.yaml when it exists)")
	root.AddCommand(runCommand(e), compactCommand(e), extractCommand(e), cleanCommand(e), explainCommand(e), rulesCommand(e), evalCommand(e), benchCommand(e))
	root.AddCommand(diffCommand(e))
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })

	err := root.ExecuteContext(ctx)
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errSomeFailed):
		return exitSomeFailed
	case errors.As(err, &ue), isCobraUsage(err):
		fmt.Fprintf(stderr, "newsfacts: %v\nRun 'newsfacts --help' for usage.\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "newsfacts: %v\n", err)
		return exitFatal
	}
}

// isCobraUsage recognises cobra's own errors about commands and arguments.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires exactly", "invalid argument"} {
		if len(msg) >= len(p) && contains(msg, p) {
			return true
		}
	}
	return false
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func (e *env) setup(cmd *cobra.Command) (Config, error) {
	c, _, err := loadConfig(cmd)
	if err != nil {
		return c, err
	}
	var h slog.Handler = slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo})
	if c.LogFormat == "json" {
		h = slog.NewJSONHandler(e.stderr, nil)
	}
	e.log = slog.New(h)
	// The segmentation dictionary is the process's: chosen here, before any command loads it,
	// so that every command (and both sides of diff, both of bench) segments with the same words.
	segment.UseTraditional(c.Segment.Traditional)
	pipeline.PanicHook = func(d *pipeline.Doc, r any, stack []byte) {
		e.log.Error("internal error", "file", d.Source, "panic", fmt.Sprint(r), "stack", string(stack))
	}
	return c, nil
}

func cleanOps() []string {
	var names []string
	for _, op := range clean.Ops {
		names = append(names, op.Name)
	}
	return names
}

func addCommonFlags(cmd *cobra.Command) {
	cmd.Flags().String("pub-date", "", "publication date YYYY-MM-DD for inputs that carry none; relative dates (今年, 10月29日) resolve against it")
	cmd.Flags().Int("workers", 0, "documents processed at once (default: the number of CPUs)")
	cmd.Flags().String("log-format", "text", "log format on stderr: text or json")
	cmd.Flags().StringSlice("clean.disable", nil, "cleaning operations to switch off, by name: "+fmt.Sprint(cleanOps()))
	addRulesFlags(cmd)
}

// addRulesFlags adds the flags that choose the rule set and the dictionaries.
func addRulesFlags(cmd *cobra.Command) {
	cmd.Flags().StringArray("rules", nil, "a directory of rule files (*.yaml) and dictionaries (*.txt) over the embedded defaults; repeatable (rules.paths in newsfacts.yaml)")
	cmd.Flags().StringSlice("rules.disable", nil, "rule ids to switch off")
	cmd.Flags().Bool("segment.traditional", false, "segment with gse's traditional-Chinese dictionary as well as the simplified one (papers of Hong Kong, Taiwan, Macau); its first load takes a few seconds more")
}
