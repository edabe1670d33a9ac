package main

import (
	"fmt"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/rules"
)

func rulesCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Check and test rule sets",
	}
	check := &cobra.Command{
		Use:   "check",
		Short: "Load and validate every rule file; report every problem at once",
		Long: `check loads and validates the rule set before any document is read and reports every problem at
once, each with file:line:column, the offending line with a caret, and a hint.

Exit codes: 0 the rules are valid; 1 problems were found; 2 usage error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			en, err := loadEngine(c)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "ok: %d rules in %d files, rules version %s\n", len(en.rules.Rules), len(en.rules.Files), en.rules.Version)
			return nil
		},
	}
	test := &cobra.Command{
		Use:   "test",
		Short: "Run every rule's inline examples, alone and through the whole pipeline",
		Long: `test runs each rule's inline examples twice: against the rule alone, and through the whole
pipeline (cleaning, segmentation, every other rule, overlap resolution), where another rule or a
word boundary can defeat it. Each failure shows the rule's file and line, what was expected and
what came out, and why candidates were dropped.

With --watch it runs again whenever a rule file or dictionary in a --rules directory changes;
rules that do not load are reported (file:line:col) and the last good ones stay in force.
Ctrl-C stops it (exit 0).

Exit codes: 0 every example passes; 1 some failed (or the rules do not load); 2 usage error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			pattern, _ := cmd.Flags().GetString("run")
			re, err := regexp.Compile(pattern)
			if err != nil {
				return usageError{fmt.Errorf("--run %q: %v", pattern, err)}
			}
			if c.Watch.Watch {
				return e.watch(cmd.Context(), c, nil, func(en *engine) error { return e.rulesTest(c, en, re) })
			}
			en, err := loadEngine(c)
			if err != nil {
				return err
			}
			return e.rulesTest(c, en, re)
		},
	}
	test.Flags().String("run", "", "only rules whose id matches this regular expression")
	addWatchFlags(test)
	for _, sub := range []*cobra.Command{check, test} {
		sub.Flags().String("log-format", "text", "log format on stderr: text or json")
		addRulesFlags(sub)
	}
	cmd.AddCommand(check, test)
	return cmd
}

func (e *env) rulesTest(c Config, en *engine, only *regexp.Regexp) error {
	process := stages(Config{Clean: c.Clean}, en)
	passed, failed := 0, 0
	for _, r := range en.rules.Rules {
		if !only.MatchString(r.ID) {
			continue
		}
		for _, ex := range r.Examples {
			err := r.CheckExample(ex)
			if err == nil {
				err = pipelineExample(process, r, ex)
			}
			if err != nil {
				failed++
				fmt.Fprintf(e.stdout, "FAIL %v\n", err)
				continue
			}
			passed++
		}
	}
	fmt.Fprintf(e.stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return fmt.Errorf("%d rule examples failed", failed)
	}
	return nil
}

// pipelineExample runs an example through the whole pipeline: a positive example must still
// come out of its rule, a negative one must not.
func pipelineExample(process pipeline.Process, r *rules.Rule, ex rules.Example) error {
	pub := ex.PubDate
	if pub == "" {
		pub = rules.DefaultExampleDate
	}
	d := &pipeline.Doc{Raw: ex.Text, PubDate: pub}
	process(d)
	var mine []pipeline.Fact
	for _, f := range d.Facts {
		if f.Rule == r.ID {
			mine = append(mine, f)
		}
	}
	if ex.None {
		if len(mine) > 0 {
			return fmt.Errorf("%s:%d: rule %s: example %q (whole pipeline): want no match, got %q", r.File, ex.Line, r.ID, ex.Text, mine[0].Text)
		}
		return nil
	}
	var got []string
	for _, f := range mine {
		fields := f.Fields()
		if rules.WantDiff(ex.Want, fields) == "" {
			return nil
		}
		got = append(got, fmt.Sprint(fields))
	}
	var others []string
	for _, f := range d.Facts {
		if f.Rule != r.ID {
			others = append(others, fmt.Sprintf("%s %q", f.Rule, f.Text))
		}
	}
	return fmt.Errorf("%s:%d: rule %s: example %q (whole pipeline): want %v, got %v; other rules' facts: %v", r.File, ex.Line, r.ID, ex.Text, ex.Want, got, others)
}
