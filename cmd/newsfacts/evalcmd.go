package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsfacts/newsfacts/output"
	"github.com/newsfacts/newsfacts/output/score"
	"github.com/newsfacts/newsfacts/pipeline"
)

// errBelowMin: an --min threshold was not met (exit 1, for CI).
type belowMinError struct{ msg string }

func (e belowMinError) Error() string { return e.msg }

func evalCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval --gold FILE... [flags]",
		Short: "Score extraction against gold annotations: precision, recall and F1 per kind and per rule",
		Long: `eval extracts from every document of the gold files (JSON Lines, the format of
shared/eval/README.md) and compares with their facts, with the same matching semantics as
shared/eval/score.py: per kind and per rule, precision, recall and F1, qualifier accuracy on
matched figures, and with --show N the first N misses and false positives.

  newsfacts eval --gold ../shared/eval/pd1998/gold-dev.jsonl --kinds date,money,percent --min all=0.9

Exit codes: 0 success; 1 a --min threshold was not met, or a fatal error; 2 usage error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := e.setup(cmd)
			if err != nil {
				return err
			}
			files, _ := cmd.Flags().GetStringArray("gold")
			mins, _ := cmd.Flags().GetStringArray("min")
			show, _ := cmd.Flags().GetInt("show")
			kinds, _ := cmd.Flags().GetString("kinds")
			ep, _ := cmd.Flags().GetBool("entity-precision")
			if len(files) == 0 {
				return usageError{fmt.Errorf("eval needs at least one --gold FILE")}
			}
			return e.eval(cmd.Context(), c, files, mins, show, kinds, ep)
		},
	}
	cmd.Flags().StringArray("gold", nil, "gold JSON Lines file (repeatable)")
	cmd.Flags().StringArray("min", nil, "KIND=F1 threshold (repeatable; KIND all for micro F1): exit 1 when one falls short")
	cmd.Flags().Int("show", 0, "list the first N misses and false positives")
	cmd.Flags().String("kinds", "", "comma-separated kinds to judge (default: every kind in the gold)")
	cmd.Flags().Bool("entity-precision", false, "count unmatched entities as false positives (entity lists are otherwise not exhaustive)")
	addCommonFlags(cmd)
	return cmd
}

func (e *env) eval(ctx context.Context, c Config, files, mins []string, show int, kinds string, entityPrecision bool) error {
	en, err := loadEngine(c)
	if err != nil {
		return err
	}
	only := map[string]bool{}
	for _, k := range strings.Split(kinds, ",") {
		if k = strings.TrimSpace(k); k != "" {
			only[k] = true
		}
	}
	var gold []*score.Gold
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return err
		}
		docs, err := score.ReadGold(f, r, only)
		r.Close()
		if err != nil {
			return err
		}
		gold = append(gold, docs...)
	}
	thresholds := map[string]float64{}
	var order []string
	for _, m := range mins {
		k, v, ok := strings.Cut(m, "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil {
			return usageError{fmt.Errorf("--min %q: want KIND=F1, e.g. money=0.95", m)}
		}
		thresholds[k] = f
		order = append(order, k)
	}
	var items []output.Item
	src := func(ctx context.Context, emit func(*pipeline.Doc) error) error {
		for _, g := range gold {
			if err := emit(&pipeline.Doc{ID: g.ID, Source: g.ID, Format: "jsonl", Raw: g.Text, Encoding: "utf-8", PubDate: g.PubDate}); err != nil {
				return err
			}
		}
		return nil
	}
	sink := func(d *pipeline.Doc) error { items = append(items, output.Items(d)...); return nil }
	if err := pipeline.Run(ctx, c.Workers, src, stages(c, en), sink); err != nil {
		return err
	}
	res := score.Score(gold, items, entityPrecision)
	w := e.stdout
	fmt.Fprintf(w, "%-13s%6s%6s%6s%8s%8s%8s\n", "kind", "gold", "tp", "fp", "P", "R", "F1")
	f1 := map[string]float64{}
	for _, k := range append(res.Kinds(), "all") {
		p, r, f, n, tp, fp := res.F1(k)
		f1[k] = f
		fmt.Fprintf(w, "%-13s%6d%6d%6d%8.3f%8.3f%8.3f\n", k, n, tp, fp, p, r, f)
	}
	if res.QualN > 0 {
		fmt.Fprintf(w, "qualifier accuracy on matched figures: %d/%d = %.3f\n", res.QualOK, res.QualN, float64(res.QualOK)/float64(res.QualN))
	}
	var short []string
	for _, k := range order {
		if f1[k]+1e-9 < thresholds[k] {
			short = append(short, fmt.Sprintf("%s F1 %.3f < %g", k, f1[k], thresholds[k]))
		}
	}
	summary := fmt.Sprintf("all F1 %.3f", f1["all"])
	if len(short) > 0 {
		summary = strings.Join(short, "; ")
	}
	fmt.Fprintln(w, summary)
	var ruleIDs []string
	seen := map[string]bool{}
	for _, m := range []map[string]int{res.RuleTP, res.RuleFP} {
		for id := range m {
			if !seen[id] {
				seen[id] = true
				ruleIDs = append(ruleIDs, id)
			}
		}
	}
	sort.Strings(ruleIDs)
	fmt.Fprintf(w, "\n%-24s%6s%6s%8s\n", "rule", "tp", "fp", "P")
	for _, id := range ruleIDs {
		tp, fp := res.RuleTP[id], res.RuleFP[id]
		fmt.Fprintf(w, "%-24s%6d%6d%8.3f\n", id, tp, fp, float64(tp)/float64(max(1, tp+fp)))
	}
	if show > 0 {
		for i, m := range res.Misses {
			if i >= show {
				break
			}
			b, _ := json.Marshal(m.Fact)
			fmt.Fprintf(w, "MISS %s %s\n", m.DocID, b)
		}
		for i, x := range res.Extras {
			if i >= show {
				break
			}
			fmt.Fprintf(w, "EXTRA %s %s %q %s %s (%s)\n", x.DocID, x.Item.Kind, x.Item.Text, numText(x.Item.Value), x.Item.Date, x.Item.Rule)
		}
	}
	if len(short) > 0 {
		return belowMinError{summary}
	}
	return nil
}

func numText(v *float64) string {
	if v == nil {
		return "-"
	}
	return jsonNumber(*v)
}
