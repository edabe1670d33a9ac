package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/newsfacts/newsfacts/output"
	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/source"
	"github.com/newsfacts/newsfacts/rules"
)

// differsError: diff --fail-on-change found differences (exit 1, for CI).
type differsError struct{ n int }

func (e differsError) Error() string {
	return fmt.Sprintf("%d facts differ between the two rule sets (--fail-on-change)", e.n)
}

func diffCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "diff [--rules DIR]... [--against DIR|default]... [flags] [INPUT...|-]",
		Short: "Compare the facts of two rule sets over the same inputs: gained, lost and changed, by rule",
		Long: `diff runs two rule sets over the same inputs and reports the facts the first gains, loses and
changes compared with the second, grouped by rule, with counts and examples.

  newsfacts diff --rules myrules testdata/pages                  # myrules against the defaults
  newsfacts diff --rules new --against old --json corpus/

The two sides:
  --rules DIR     (repeatable, or rules.paths in newsfacts.yaml) and --rules.disable ID: the rule
                  set under test, as every other command loads it — the embedded defaults with
                  each directory layered over them.
  --against DIR   (repeatable) the baseline, also layered over the embedded defaults. Omitted,
                  or --against default, the baseline is the embedded defaults alone;
                  --against-disable ID switches baseline rules off.

Facts are matched by document id and span (start, end in the cleaned text). A fact only the
first set finds is gained, one only the baseline finds is lost, and a span both find with a
different kind, value, value_max, unit, qualifier, date, date_end or metric is changed (a fact
whose rule id alone differs is the same fact). Gained facts are grouped by the rule that made
them, lost ones by the baseline's rule, changed ones by "baseline rule → new rule".
Entities are not compared: rules do not make them.

Inputs are read as extract reads them: files, directories, globs, - for standard input, and
--input-format jsonl for one {"id","text","pub_date"} document per line. The word
segmenter's dictionary is loaded once for both sets (with the segment_words.txt of both: it is
one per process), the entity dictionaries not at all; each document is decoded once, then
cleaned and extracted once per set (a lexicon.txt in a rule directory can change cleaning).

Exit codes: 0 whether or not the sets differ; 1 with --fail-on-change when any fact is gained,
lost or changed (for CI), or a fatal error (a rule set that does not load); 2 usage error;
3 some inputs could not be read (each is listed on stderr).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			if c.Compare.Examples < -1 {
				return usageError{fmt.Errorf("--examples %d: want a count, or -1 for all", c.Compare.Examples)}
			}
			return e.diff(cmd.Context(), c, args)
		},
	}
	cmd.Flags().StringArray("against", nil, "baseline rule directory over the embedded defaults (repeatable; omitted or 'default': the embedded defaults alone)")
	cmd.Flags().StringSlice("against-disable", nil, "baseline rule ids to switch off")
	cmd.Flags().Int("examples", 3, "examples shown per rule group (0: counts only; -1: all)")
	cmd.Flags().Bool("json", false, "print one JSON object instead of text")
	cmd.Flags().Bool("fail-on-change", false, "exit 1 when any fact is gained, lost or changed")
	cmd.Flags().String("input-format", "text", "text (a file is a document) or jsonl (a line is a document)")
	addCommonFlags(cmd)
	return cmd
}

// diffSide is one of the two rule sets a diff compares.
type diffSide struct {
	Paths   []string `json:"paths"`
	Disable []string `json:"disable,omitempty"`
	Version string   `json:"version"`
	Rules   int      `json:"rules"`
	Facts   int      `json:"facts"`

	set     *rules.Set
	lexicon *clean.Lexicon
}

// loadSide loads a rule set, its lexicon and its segmentation words, without the entity
// dictionaries: diff compares facts only, so neither side needs them. The segmenter is one per
// process, so both sides segment with the words of both.
func loadSide(paths, disable []string) (*diffSide, error) {
	set, err := rules.LoadWith(paths, disable)
	if err != nil {
		return nil, err
	}
	lx, err := clean.LexiconFor(set)
	if err != nil {
		return nil, err
	}
	if err := addSegmentWords(set); err != nil {
		return nil, err
	}
	if paths == nil {
		paths = []string{}
	}
	return &diffSide{Paths: paths, Disable: disable, Version: set.Version, Rules: len(set.Rules), set: set, lexicon: lx}, nil
}

// fieldChange is one field of a changed fact: what the baseline said and what the new set says.
type fieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// changedFact is a span both sets found with different fields.
type changedFact struct {
	DocID   string        `json:"doc_id"`
	Text    string        `json:"text"`
	Start   int           `json:"start"`
	End     int           `json:"end"`
	Changes []fieldChange `json:"changes"`
	Before  output.Item   `json:"before"`
	After   output.Item   `json:"after"`
}

// diffGroup is the facts of one rule (or one pair of rules, for changes) in one category.
type diffGroup struct {
	Rule     string `json:"rule"`
	Count    int    `json:"count"`
	Examples []any  `json:"examples"`
}

// diffCategory is gained, lost or changed: a total and the groups by rule, largest first.
type diffCategory struct {
	Count  int          `json:"count"`
	Groups []*diffGroup `json:"by_rule"`
	index  map[string]*diffGroup
}

func (c *diffCategory) add(rule string, example any, limit int) {
	if c.index == nil {
		c.index = map[string]*diffGroup{}
	}
	g := c.index[rule]
	if g == nil {
		g = &diffGroup{Rule: rule, Examples: []any{}}
		c.index[rule] = g
		c.Groups = append(c.Groups, g)
	}
	c.Count++
	g.Count++
	if limit < 0 || len(g.Examples) < limit {
		g.Examples = append(g.Examples, example)
	}
}

func (c *diffCategory) sort() {
	sort.SliceStable(c.Groups, func(i, j int) bool {
		if c.Groups[i].Count != c.Groups[j].Count {
			return c.Groups[i].Count > c.Groups[j].Count
		}
		return c.Groups[i].Rule < c.Groups[j].Rule
	})
}

// diffReport is what diff --json prints.
type diffReport struct {
	Rules     *diffSide    `json:"rules"`
	Against   *diffSide    `json:"against"`
	Documents int          `json:"documents"`
	Failed    int          `json:"failed"`
	Unchanged int          `json:"unchanged"`
	Gained    diffCategory `json:"gained"`
	Lost      diffCategory `json:"lost"`
	Changed   diffCategory `json:"changed"`
}

func (e *env) diff(ctx context.Context, c Config, args []string) error {
	against := c.Compare.Against
	if len(against) == 1 && against[0] == "default" {
		against = nil
	}
	for _, p := range against {
		if p == "default" {
			return usageError{fmt.Errorf("--against default means the embedded defaults alone; it cannot be combined with other --against directories")}
		}
	}
	a, err := loadSide(c.Rules.Paths, c.Rules.Disable)
	if err != nil {
		return err
	}
	b, err := loadSide(against, c.Compare.AgainstDisable)
	if err != nil {
		return fmt.Errorf("--against: %w", err)
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	rep := &diffReport{Rules: a, Against: b}

	// Each document is decoded once; a copy goes through the baseline's stages. The sink pairs
	// the two results, in input order.
	var mu sync.Mutex
	baseline := map[*pipeline.Doc][]pipeline.Fact{}
	procA := stages(c, &engine{rules: a.set, lexicon: a.lexicon})
	procB := stages(c, &engine{rules: b.set, lexicon: b.lexicon})
	process := func(d *pipeline.Doc) {
		if d.Raw == "" && (d.Bytes != nil || d.OnDisk != nil) {
			source.Decode(d)
			if d.Failed() {
				return
			}
		}
		twin := *d
		procB(&twin)
		procA(d)
		mu.Lock()
		baseline[d] = twin.Facts
		mu.Unlock()
	}
	sink := func(d *pipeline.Doc) error {
		mu.Lock()
		old := baseline[d]
		delete(baseline, d)
		mu.Unlock()
		if d.Failed() {
			fmt.Fprintf(e.stderr, "newsfacts: %s\n", d.Error)
		}
		if !d.Part.More { // a file read in parts counts once, with its last part
			if _, status, _, _ := d.File(); status == pipeline.StatusFailed || status == pipeline.StatusTimeout {
				rep.Failed++
			} else {
				rep.Documents++
			}
		}
		if d.Failed() {
			return nil
		}
		if !d.Whole() { // offsets from the start of the file
			now := make([]pipeline.Fact, len(d.Facts))
			for i, f := range d.Facts {
				now[i] = d.Part.FileFact(f)
			}
			for i, f := range old {
				old[i] = d.Part.FileFact(f)
			}
			d.Facts = now
		}
		rep.compare(d.ID, d.Facts, old, c.Compare.Examples)
		return nil
	}
	failed := 0
	if err := pipeline.Run(ctx, c.Workers, e.inputSource(c, args, &failed), process, sink); err != nil {
		return err
	}
	rep.Failed += failed
	for _, cat := range []*diffCategory{&rep.Gained, &rep.Lost, &rep.Changed} {
		cat.sort()
	}
	w := bufio.NewWriter(e.stdout)
	if c.JSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		rep.print(w)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	if n := rep.Gained.Count + rep.Lost.Count + rep.Changed.Count; n > 0 && c.Compare.FailOnChange {
		return differsError{n}
	}
	if rep.Failed > 0 {
		return errSomeFailed
	}
	return nil
}

// spanKey identifies a fact within a document.
type spanKey struct{ start, end int }

// compare pairs one document's facts (new set: now, baseline: old) by span and files each
// difference. Two facts on one span in one set (rare: overlap resolution keeps one) are paired
// with the other set's facts of the same kind first.
func (rep *diffReport) compare(doc string, now, old []pipeline.Fact, limit int) {
	rep.Rules.Facts += len(now)
	rep.Against.Facts += len(old)
	bySpan := map[spanKey][]pipeline.Fact{}
	for _, f := range old {
		k := spanKey{f.Start, f.End}
		bySpan[k] = append(bySpan[k], f)
	}
	var unpaired []pipeline.Fact
	// First pass: same span and same kind.
	for _, f := range now {
		k := spanKey{f.Start, f.End}
		if i := indexOfKind(bySpan[k], f.Kind); i >= 0 {
			rep.pair(doc, bySpan[k][i], f, limit)
			bySpan[k] = append(bySpan[k][:i], bySpan[k][i+1:]...)
			continue
		}
		unpaired = append(unpaired, f)
	}
	// Second pass: same span, another kind (changed), or nothing (gained).
	for _, f := range unpaired {
		k := spanKey{f.Start, f.End}
		if len(bySpan[k]) > 0 {
			rep.pair(doc, bySpan[k][0], f, limit)
			bySpan[k] = bySpan[k][1:]
			continue
		}
		rep.Gained.add(f.Rule, output.FactItem(doc, f), limit)
	}
	// What the baseline found and the new set did not, in document order.
	for _, f := range old {
		k := spanKey{f.Start, f.End}
		for i, g := range bySpan[k] {
			if g == f {
				rep.Lost.add(f.Rule, output.FactItem(doc, f), limit)
				bySpan[k] = append(bySpan[k][:i], bySpan[k][i+1:]...)
				break
			}
		}
	}
}

func indexOfKind(fs []pipeline.Fact, kind string) int {
	for i, f := range fs {
		if f.Kind == kind {
			return i
		}
	}
	return -1
}

// pair files two facts on one span: unchanged, or changed with the fields that differ.
func (rep *diffReport) pair(doc string, old, now pipeline.Fact, limit int) {
	changes := factChanges(old, now)
	if len(changes) == 0 {
		rep.Unchanged++
		return
	}
	group := now.Rule
	if old.Rule != now.Rule {
		group = old.Rule + " → " + now.Rule
	}
	rep.Changed.add(group, changedFact{DocID: doc, Text: now.Text, Start: now.Start, End: now.End, Changes: changes,
		Before: output.FactItem(doc, old), After: output.FactItem(doc, now)}, limit)
}

// factChanges lists the normalised fields that differ between two facts on one span.
func factChanges(old, now pipeline.Fact) []fieldChange {
	var out []fieldChange
	for _, f := range []struct {
		name     string
		from, to string
	}{
		{"kind", old.Kind, now.Kind},
		{"value", optNumber(old.Value), optNumber(now.Value)},
		{"value_max", optNumber(old.ValueMax), optNumber(now.ValueMax)},
		{"unit", old.Unit, now.Unit},
		{"qualifier", old.Qualifier, now.Qualifier},
		{"date", old.Date, now.Date},
		{"date_end", old.DateEnd, now.DateEnd},
		{"metric", old.Metric, now.Metric},
	} {
		if f.from != f.to {
			out = append(out, fieldChange{f.name, f.from, f.to})
		}
	}
	return out
}

func (rep *diffReport) print(w io.Writer) {
	side := func(s *diffSide) string {
		name := "the embedded defaults"
		if len(s.Paths) > 0 {
			name = "defaults + " + strings.Join(s.Paths, " + ")
		}
		if len(s.Disable) > 0 {
			name += " − " + strings.Join(s.Disable, ", ")
		}
		return fmt.Sprintf("%s (%d rules, version %s)", name, s.Rules, s.Version)
	}
	fmt.Fprintf(w, "rules:    %s\n", side(rep.Rules))
	fmt.Fprintf(w, "against:  %s\n", side(rep.Against))
	fmt.Fprintf(w, "documents: %d", rep.Documents)
	if rep.Failed > 0 {
		fmt.Fprintf(w, " (%d could not be read)", rep.Failed)
	}
	fmt.Fprintf(w, "   facts: %d against %d   gained %d, lost %d, changed %d, unchanged %d\n",
		rep.Rules.Facts, rep.Against.Facts, rep.Gained.Count, rep.Lost.Count, rep.Changed.Count, rep.Unchanged)
	for _, cat := range []struct {
		name string
		sign string
		c    *diffCategory
	}{{"gained", "+", &rep.Gained}, {"lost", "-", &rep.Lost}, {"changed", "~", &rep.Changed}} {
		if cat.c.Count == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: %d\n", cat.name, cat.c.Count)
		for _, g := range cat.c.Groups {
			fmt.Fprintf(w, "  %-28s %s%d\n", g.Rule, cat.sign, g.Count)
			for _, ex := range g.Examples {
				switch x := ex.(type) {
				case output.Item:
					fmt.Fprintf(w, "      %s [%d,%d) %s  %s %s\n", x.DocID, x.Start, x.End, x.Text, x.Kind, factSummary(x))
				case changedFact:
					var parts []string
					for _, ch := range x.Changes {
						parts = append(parts, fmt.Sprintf("%s %s → %s", ch.Field, orDash(ch.From), orDash(ch.To)))
					}
					fmt.Fprintf(w, "      %s [%d,%d) %s  %s\n", x.DocID, x.Start, x.End, x.Text, strings.Join(parts, "; "))
				}
			}
			if len(g.Examples) < g.Count && len(g.Examples) > 0 {
				fmt.Fprintf(w, "      … %d more\n", g.Count-len(g.Examples))
			}
		}
	}
	if rep.Gained.Count+rep.Lost.Count+rep.Changed.Count == 0 {
		fmt.Fprintln(w, "\nno differences")
	}
}

func factSummary(f output.Item) string {
	return normalised(candidateTrace{Value: f.Value, Max: f.ValueMax, Unit: f.Unit, Qual: f.Qualifier, Date: f.Date, DateEnd: f.DateEnd})
}

// optNumber is a value as JSON writes it, or "" when there is none.
func optNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return jsonNumber(*v)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
