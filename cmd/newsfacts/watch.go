package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// --watch re-runs explain or rules test whenever a rule file or dictionary changes. It polls
// the files' sizes and modification times: no dependency, and it works the same on every
// system and file system (network mounts and editors that replace files included), at the
// cost of noticing a change up to one interval late.

const defaultWatchInterval = 500 * time.Millisecond

// addWatchFlags adds --watch and --watch-interval to a command.
func addWatchFlags(cmd *cobra.Command) {
	cmd.Flags().Bool("watch", false, "run again whenever a rule file (*.yaml) or dictionary (*.txt) in a --rules directory changes; Ctrl-C stops")
	cmd.Flags().Duration("watch-interval", defaultWatchInterval, "how often --watch looks at the files")
}

// fileStamp is what polling compares: a file's size and modification time, or its absence.
type fileStamp struct {
	size    int64
	modTime time.Time
	missing bool
}

// watchedFiles stamps the files that matter: the *.yaml and *.txt files directly in each rule
// directory (what rules.LoadWith reads), whether each directory exists, and the extra files.
func watchedFiles(dirs, extra []string) map[string]fileStamp {
	out := map[string]fileStamp{}
	stamp := func(path string) {
		st, err := os.Stat(path)
		if err != nil {
			out[path] = fileStamp{missing: true}
			return
		}
		out[path] = fileStamp{size: st.Size(), modTime: st.ModTime()}
	}
	for _, d := range dirs {
		// A directory that disappears (or comes back) is a change; its own modification time,
		// which editors' temporary files touch, is not.
		_, err := os.Stat(d)
		out[d] = fileStamp{missing: err != nil}
		for _, pattern := range []string{"*.yaml", "*.txt"} {
			names, _ := filepath.Glob(filepath.Join(d, pattern))
			for _, n := range names {
				stamp(n)
			}
		}
	}
	for _, f := range extra {
		stamp(f)
	}
	return out
}

// changedFiles names the files whose stamp differs between two polls, sorted.
func changedFiles(before, after map[string]fileStamp) []string {
	var names []string
	for name, st := range after {
		if prev, ok := before[name]; !ok || prev != st {
			names = append(names, name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// watch calls run with the rules of c, then again each time a file under c's rule directories
// (or one of extra, such as the file explain reads) changes, until ctx is cancelled (Ctrl-C),
// when it returns nil. Rules that fail to load are reported, file:line:col, on stderr, and the
// last good ones stay in force; run's errors are reported and the watch goes on.
func (e *env) watch(ctx context.Context, c Config, extra []string, run func(*engine) error) error {
	interval := c.Watch.Interval
	if interval <= 0 {
		return usageError{fmt.Errorf("--watch-interval %v: want a positive duration", interval)}
	}
	// Everything a rule folder holds (rules, lexicon, entity dictionaries) is loaded again.
	load := func() (*engine, error) { return loadEngine(c) }
	report := func(err error) {
		if err != nil {
			fmt.Fprintf(e.stderr, "newsfacts: %v\n", err)
		}
	}
	if len(c.Rules.Paths) == 0 && len(extra) == 0 {
		return usageError{fmt.Errorf("--watch has nothing to watch: give --rules DIR (or rules.paths in newsfacts.yaml); the embedded defaults never change")}
	}
	isRuleFile := func(name string) bool {
		for _, d := range c.Rules.Paths {
			if name == d || filepath.Dir(name) == filepath.Clean(d) {
				return true
			}
		}
		return false
	}

	seen := watchedFiles(c.Rules.Paths, extra)
	en, err := load()
	if err != nil {
		report(err)
		fmt.Fprintf(e.stderr, "newsfacts: the rules do not load; waiting for a fix\n")
	} else {
		report(run(en))
	}
	fmt.Fprintf(e.stderr, "newsfacts: watching %s; Ctrl-C to stop\n", strings.Join(append(append([]string{}, c.Rules.Paths...), extra...), ", "))

	tick := time.NewTicker(interval)
	defer tick.Stop()
	wait := func() bool {
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
			return true
		}
	}
	for wait() {
		now := watchedFiles(c.Rules.Paths, extra)
		if maps.Equal(now, seen) {
			continue
		}
		// An editor may write a file in several steps: wait until two polls agree.
		for {
			if !wait() {
				return nil
			}
			next := watchedFiles(c.Rules.Paths, extra)
			if maps.Equal(next, now) {
				break
			}
			now = next
		}
		changed := changedFiles(seen, now)
		seen = now
		reload := false
		for _, name := range changed {
			if isRuleFile(name) {
				reload = true
			}
		}
		what := strings.Join(changed, ", ")
		if reload {
			fresh, err := load()
			if err != nil {
				fmt.Fprintf(e.stderr, "\nnewsfacts: %s changed at %s and the rules do not load:\n", what, time.Now().Format("15:04:05"))
				report(err)
				if en != nil {
					fmt.Fprintf(e.stderr, "newsfacts: the last good rules (version %s) stay in force\n", en.rules.Version)
				}
				continue
			}
			en = fresh
		}
		if en == nil {
			continue
		}
		fmt.Fprintf(e.stderr, "\nnewsfacts: %s changed at %s: rules version %s\n", what, time.Now().Format("15:04:05"), en.rules.Version)
		report(run(en))
	}
	return nil
}
