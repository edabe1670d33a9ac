package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsfacts/newsfacts/output"
	"github.com/newsfacts/newsfacts/output/manifest"
)

func compactCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "compact [flags]",
		Short: "Merge the dataset's small part files into bigger ones",
		Long: `compact merges the part files of the dataset in --out that hold fewer than --part-docs
documents into files of about --part-docs documents each. Every run that writes adds part
files, and runs compact on their own once more than --compact-parts small ones are left;
compact does it now (after many small runs made with --compact-parts 0, say, or before
copying the dataset elsewhere).

The rows are copied as they are, not processed again. Like a run, compact takes the
dataset's lock (a run on the same --out is refused meanwhile, and compact waits for no one),
and commits atomically: readers of out/<table>/*.parquet see the files before or after, never
a mix; a kill leaves the dataset as it was. It leaves a run record in out/_runs/ and rewrites
out/_SUCCESS.

` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			return e.compact(cmd.Context(), c)
		},
	}
	cmd.Flags().String("out", "out", "folder of the dataset")
	cmd.Flags().Int("part-docs", output.DefaultPartDocs, "documents a merged part holds (at least; parts that hold this many are left alone)")
	cmd.Flags().String("summary", "", "write the run record as JSON to this file, whatever the outcome")
	cmd.Flags().String("log-format", "text", "log format on stderr: text or json")
	return cmd
}

// compact is `newsfacts compact`: a commit that writes no document and merges the small parts.
func (e *env) compact(ctx context.Context, c Config) (err error) {
	t0 := time.Now()
	if c.Batch.PartDocs < 1 {
		return usageError{fmt.Errorf("--part-docs %d: want 1 or more", c.Batch.PartDocs)}
	}
	if !manifest.Exists(filepath.Join(c.Out, output.ManifestFile)) {
		return fmt.Errorf("%s: no dataset here (no %s): nothing to compact", c.Out, output.ManifestFile)
	}
	runID := newRunID(t0, 0, 1)
	rec := newRecord(runID, t0, c, nil, []string{})
	rec.Command = "compact"
	// The dataset's rows were not written by this command: _SUCCESS keeps the versions of
	// the run that wrote them last.
	last := lastSuccess(c.Out)
	rec.ToolVersion, rec.RulesVersion, rec.ConfigHash = last.ToolVersion, last.RulesVersion, last.ConfigHash
	defer func() {
		if rec.Status != "committed" {
			rec.finish("failed", err)
		}
		if c.Batch.Summary != "" {
			if werr := writeSummary(c.Batch.Summary, rec); werr != nil && err == nil {
				err = werr
			}
		}
	}()
	ds, err := output.Open(c.Out, output.Meta{ToolVersion: last.ToolVersion, RulesVersion: last.RulesVersion, ConfigHash: last.ConfigHash, RunID: runID},
		output.Options{MergeDocs: c.Batch.PartDocs, Log: func(msg string, args ...any) {
			e.log.Info(msg, append([]any{"out", c.Out}, args...)...)
		}})
	if err != nil {
		return err
	}
	defer ds.Abort()
	if err := ctx.Err(); err != nil {
		return err
	}
	ds.Compact()
	info, err := ds.Commit(func(info output.CommitInfo) ([]byte, error) {
		rec.Commit = &info
		rec.finish("committed", nil)
		return rec.json()
	})
	if err != nil {
		return err
	}
	e.log.Info("compacted", "run", runID, "merged", info.PartsCompacted, "into", info.PartsMerged, "parts", info.Parts, "seconds", rec.Seconds)
	fmt.Fprintf(e.stdout, "compacted: %d small parts merged into %d; %d parts, %d documents in %s\n",
		info.PartsCompacted, info.PartsMerged, info.Parts, info.DatasetRows[output.TableDocuments], c.Out)
	return nil
}

// lastSuccess reads the dataset's _SUCCESS (empty when there is none).
func lastSuccess(dir string) output.Success {
	var s output.Success
	if b, err := os.ReadFile(filepath.Join(dir, output.SuccessFile)); err == nil {
		json.Unmarshal(b, &s)
	}
	return s
}
