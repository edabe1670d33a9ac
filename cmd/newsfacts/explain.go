package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/extract"
	"github.com/newsfacts/newsfacts/pipeline/source"
	"github.com/newsfacts/newsfacts/pipeline/split"
)

func explainCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "explain [flags] TEXT|FILE",
		Short: "Show why each rule fired or did not: edits, sentences, tokens, candidates, facts",
		Long: `explain runs the pipeline on one text (given on the command line, or a file's path, or - for
standard input) and shows every step: the cleaning edits, the sentences with their tokens and
parts of speech, every rule match with its groups and normalised value, every candidate that
was dropped and why (lost an overlap to rule X, cuts through a word, negative context, failed
normalization), and the facts and entities that came out.

  newsfacts explain --pub-date 2023-11-01 '今年1-9月份，直播近9000场次'

With --watch it runs again whenever a rule file or dictionary in a --rules directory (or the
FILE explained) changes; rules that do not load are reported and the last good ones stay in
force. Ctrl-C stops it (exit 0).

` + exitHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			asJSON, _ := cmd.Flags().GetBool("json")
			if c.Watch.Watch {
				var extra []string
				if args[0] == "-" {
					return usageError{fmt.Errorf("explain --watch reads its text again on every change: give TEXT or a FILE, not -")}
				}
				if st, err := os.Stat(args[0]); err == nil && !st.IsDir() {
					extra = []string{args[0]} // the file explained is watched too
				}
				return e.watch(cmd.Context(), c, extra, func(en *engine) error { return e.explainWith(c, en, args[0], asJSON) })
			}
			en, err := loadEngine(c)
			if err != nil {
				return err
			}
			return e.explainWith(c, en, args[0], asJSON)
		},
	}
	cmd.Flags().Bool("json", false, "print one JSON object instead of text")
	addWatchFlags(cmd)
	addCommonFlags(cmd)
	return cmd
}

// explanation is what explain --json prints.
type explanation struct {
	Source     string             `json:"source"`
	PubDate    string             `json:"pub_date,omitempty"`
	Edits      []pipeline.Edit    `json:"edits"`
	Articles   []pipeline.Article `json:"articles"`
	Sentences  []sentenceTrace    `json:"sentences"`
	Facts      []pipeline.Fact    `json:"facts"`
	Entities   []pipeline.Entity  `json:"entities"`
	RulesCount int                `json:"rules"`
}

type sentenceTrace struct {
	Index      int              `json:"index"`
	Text       string           `json:"text"`
	Tokens     []string         `json:"tokens"`
	Candidates []candidateTrace `json:"candidates"`
}

type candidateTrace struct {
	Rule    string            `json:"rule"`
	Text    string            `json:"text"`
	Start   int               `json:"start"`
	End     int               `json:"end"`
	Groups  map[string]string `json:"groups"`
	Value   *float64          `json:"value,omitempty"`
	Max     *float64          `json:"value_max,omitempty"`
	Unit    string            `json:"unit,omitempty"`
	Qual    string            `json:"qualifier,omitempty"`
	Date    string            `json:"date,omitempty"`
	DateEnd string            `json:"date_end,omitempty"`
	Kept    bool              `json:"kept"`
	Dropped string            `json:"dropped,omitempty"`
}

// explainWith explains arg (a text, a file's path, or - for standard input) with the rules of en.
func (e *env) explainWith(c Config, en *engine, arg string, asJSON bool) error {
	var d *pipeline.Doc
	if st, err := os.Stat(arg); (err == nil && !st.IsDir()) || arg == "-" {
		d = source.Read(source.Input{Path: arg}, e.stdin)
		if !d.Failed() {
			source.Decode(d)
		}
		if d.Failed() {
			return fmt.Errorf("%s", d.Error)
		}
	} else {
		d = &pipeline.Doc{ID: "text", Source: "(command line)", Raw: arg}
	}
	if d.PubDate == "" {
		d.PubDate = c.PubDate
	}
	clean.Stage(d, en.cleanOptions(c))
	split.Articles(d)
	split.Sentences(d)
	tr := &extract.Trace{}
	extract.Stage(d, en.rules, en.entities, tr)

	x := explanation{Source: d.Source, PubDate: d.PubDate, Edits: d.Edits, Articles: d.Articles, Facts: d.Facts, Entities: d.Entities, RulesCount: len(en.rules.Rules)}
	rs := []rune(d.Text)
	byStart := func(a, b candidateTrace) bool {
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Rule < b.Rule
	}
	for _, s := range d.Sentences {
		st := sentenceTrace{Index: s.Index, Text: string(rs[s.Start:s.End])}
		for _, t := range s.Tokens {
			st.Tokens = append(st.Tokens, t.Word(d.Text)+"/"+t.Pos())
		}
		add := func(list []extract.Dropped, kept bool) {
			for _, dr := range list {
				if dr.Start < s.Start || dr.Start >= s.End {
					continue
				}
				cd := dr.Candidate
				st.Candidates = append(st.Candidates, candidateTrace{Rule: cd.Rule.ID, Text: cd.Text, Start: dr.Start, End: dr.End,
					Groups: cd.Groups, Value: cd.Value, Max: cd.ValueMax, Unit: cd.Unit, Qual: cd.Qualifier, Date: cd.Date, DateEnd: cd.DateEnd,
					Kept: kept, Dropped: dr.Reason})
			}
		}
		add(tr.Kept, true)
		add(tr.Dropped, false)
		sort.SliceStable(st.Candidates, func(i, j int) bool { return byStart(st.Candidates[i], st.Candidates[j]) })
		x.Sentences = append(x.Sentences, st)
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(x)
	}
	printExplanation(w, x)
	return nil
}

func printExplanation(w io.Writer, x explanation) {
	fmt.Fprintf(w, "source: %s   pub_date: %s   rules: %d\n", x.Source, x.PubDate, x.RulesCount)
	fmt.Fprintf(w, "\ncleaning edits: %d\n", len(x.Edits))
	for _, ed := range x.Edits {
		fmt.Fprintf(w, "  %-10s raw %d-%d  %q → %q\n", ed.Op, ed.RawStart, ed.RawEnd, ed.Old, ed.New)
	}
	fmt.Fprintf(w, "\narticles: %d\n", len(x.Articles))
	for _, a := range x.Articles {
		fmt.Fprintf(w, "  [%d] headline %q byline %q ref_date %s\n", a.Index, a.Headline, a.Byline, a.RefDate)
	}
	for _, s := range x.Sentences {
		fmt.Fprintf(w, "\nsentence %d: %s\n", s.Index, s.Text)
		fmt.Fprintf(w, "  tokens: %s\n", strings.Join(s.Tokens, " "))
		for _, c := range s.Candidates {
			var groups []string
			for k, v := range c.Groups {
				groups = append(groups, k+"="+v)
			}
			sort.Strings(groups)
			verdict := "KEPT"
			if !c.Kept {
				verdict = "dropped: " + c.Dropped
			}
			fmt.Fprintf(w, "  %-20s %q [%d,%d) %s → %s  %s\n", c.Rule, c.Text, c.Start, c.End, strings.Join(groups, " "), normalised(c), verdict)
		}
	}
	fmt.Fprintf(w, "\nfacts: %d\n", len(x.Facts))
	for _, f := range x.Facts {
		fmt.Fprintf(w, "  %-9s %-14s %s  metric=%s  subject=%s  (%s)\n", f.Kind, f.Text, normalised(candidateTrace{Value: f.Value, Max: f.ValueMax, Unit: f.Unit, Qual: f.Qualifier, Date: f.Date, DateEnd: f.DateEnd}), f.Metric, f.Subject, f.Rule)
	}
	fmt.Fprintf(w, "\nentities: %d\n", len(x.Entities))
	for _, en := range x.Entities {
		fmt.Fprintf(w, "  %-12s %s %s (%s)\n", en.Kind, en.Text, en.Role, en.Rule)
	}
}

func normalised(c candidateTrace) string {
	var parts []string
	if c.Value != nil {
		v := fmt.Sprint(jsonNumber(*c.Value))
		if c.Max != nil {
			v += ".." + fmt.Sprint(jsonNumber(*c.Max))
		}
		parts = append(parts, v)
	}
	if c.Date != "" {
		d := c.Date
		if c.DateEnd != "" {
			d += ".." + c.DateEnd
		}
		parts = append(parts, d)
	}
	for _, s := range []string{c.Unit, c.Qual} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

func jsonNumber(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}
