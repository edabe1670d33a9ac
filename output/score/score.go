// Package score compares extracted facts and entities with gold annotations, with exactly the
// matching semantics of shared/eval/README.md (and its score.py), so that `newsfacts eval`
// reproduces the figures researchers report.
package score

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/newsfacts/newsfacts/output"
)

// Gold is one gold document.
type Gold struct {
	ID      string     `json:"id"`
	Text    string     `json:"text"`
	PubDate string     `json:"pub_date"`
	Facts   []GoldFact `json:"facts"`
	judged  map[string]bool
}

// GoldFact is one expected item; Kind may list alternatives ("number|count").
type GoldFact struct {
	Kind      string   `json:"kind"`
	Text      string   `json:"text"`
	Value     *float64 `json:"value"`
	ValueMax  *float64 `json:"value_max"`
	Unit      *string  `json:"unit"`
	Qualifier *string  `json:"qualifier"`
	Date      string   `json:"date"`
	DateEnd   *string  `json:"date_end"`
	Optional  bool     `json:"optional"`
	Tol       *float64 `json:"tol"`

	qualifierKey bool // the gold wrote a qualifier key, null included
	unitKey      bool // the gold wrote a unit key, null included (absent means any unit)
}

// UnmarshalJSON records which keys were written: score.py tells an absent key from a null.
func (f *GoldFact) UnmarshalJSON(b []byte) error {
	type plain GoldFact
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return err
	}
	*f = GoldFact(p)
	_, f.qualifierKey = keys["qualifier"]
	_, f.unitKey = keys["unit"]
	return nil
}

// ReadGold reads a gold JSON Lines file. Only the kinds that occur in a file's facts are judged
// in that file; kinds, when not empty, narrows them further.
func ReadGold(name string, r io.Reader, kinds map[string]bool) ([]*Gold, error) {
	var docs []*Gold
	judged := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var g Gold
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		for _, f := range g.Facts {
			for _, k := range strings.Split(f.Kind, "|") {
				judged[k] = true
			}
		}
		docs = append(docs, &g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(kinds) > 0 {
		for k := range judged {
			if !kinds[k] {
				delete(judged, k)
			}
		}
	}
	for _, g := range docs {
		g.judged = judged
	}
	return docs, nil
}

var numeric = map[string]bool{"money": true, "count": true, "percent": true, "quantity": true, "duration": true, "ordinal": true, "number": true}
var entity = map[string]bool{"person": true, "organization": true, "location": true}

var unitAliases = map[string]string{"m²": "m2", "㎡": "m2", "平方米": "m2", "℃": "°c", "摄氏度": "°c", "公顷": "ha", "亩": "mu",
	"rmb": "cny", "人民币": "cny", "元": "cny", "美元": "usd", "千瓦": "kw", "千瓦时": "kwh",
	"兆瓦": "mw", "吨": "t", "公里": "km", "千米": "km", "米": "m", "毫米": "mm", "公斤": "kg",
	"千克": "kg", "百分点": "pp", "个百分点": "pp", "percentage_point": "pp",
	"℉": "°f", "华氏度": "°f", "µg": "μg", "ug": "μg", "微克": "μg", "千卡": "kcal", "大卡": "kcal",
	"赫兹": "hz", "兆赫": "mhz", "公分": "cm", "厘米": "cm", "克": "g", "字节": "b", "比特": "bit",
	"jin": "斤", "liang": "两", "欧元": "eur", "港元": "hkd", "港币": "hkd", "日元": "jpy", "英镑": "gbp",
	"年": "year", "个月": "month", "月": "month", "周": "week", "星期": "week", "天": "day", "日": "day",
	"小时": "hour", "分钟": "minute", "秒": "second", "岁": "year"}

func normUnit(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	if a, ok := unitAliases[u]; ok {
		return a
	}
	return u
}

func close(p *float64, g *float64, tol *float64) bool {
	if p == nil || g == nil {
		return p == nil && g == nil
	}
	t := math.Max(1e-6*math.Abs(*g), 1e-12)
	if tol != nil {
		t = *tol
	}
	return math.Abs(*p-*g) <= t
}

func contains(kinds []string, k string) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

func matches(g GoldFact, p output.Item) bool {
	if !contains(strings.Split(g.Kind, "|"), p.Kind) {
		return false
	}
	switch {
	case entity[p.Kind]:
		return strings.TrimSpace(p.Text) == g.Text
	case p.Kind == "date":
		if g.Date == "*" {
			return true
		}
		if p.Date != g.Date {
			return false
		}
		if g.DateEnd != nil && *g.DateEnd == "*" {
			return true
		}
		if g.DateEnd != nil {
			return p.DateEnd == *g.DateEnd
		}
		return p.DateEnd == "" || p.DateEnd == g.Date
	}
	if !close(p.Value, g.Value, g.Tol) {
		return false
	}
	if g.ValueMax != nil && !close(p.ValueMax, g.ValueMax, g.Tol) {
		return false
	}
	if !g.unitKey {
		return true // absent: any unit
	}
	gu := deref(g.Unit)
	return gu == "*" || normUnit(p.Unit) == normUnit(gu)
}

// Miss is a gold fact nothing matched; Extra an extracted item no gold fact took.
type Miss struct {
	DocID string
	Fact  GoldFact
}

type Extra struct {
	DocID string
	Item  output.Item
}

// Result holds the counts per kind and per rule.
type Result struct {
	TP, FN, FP     map[string]int
	RuleTP, RuleFP map[string]int
	QualOK, QualN  int
	Misses         []Miss
	Extras         []Extra
}

func qual(s string) string {
	if s == "" {
		return "exact"
	}
	return s
}

// Score matches the items extracted from each gold document against its facts.
func Score(gold []*Gold, items []output.Item, entityPrecision bool) *Result {
	res := &Result{TP: map[string]int{}, FN: map[string]int{}, FP: map[string]int{}, RuleTP: map[string]int{}, RuleFP: map[string]int{}}
	byDoc := map[string][]output.Item{}
	for _, it := range items {
		byDoc[it.DocID] = append(byDoc[it.DocID], it)
	}
	for _, g := range gold {
		var facts []GoldFact
		for _, f := range g.Facts {
			for _, k := range strings.Split(f.Kind, "|") {
				if g.judged[k] {
					facts = append(facts, f)
					break
				}
			}
		}
		var ps []output.Item
		for _, p := range byDoc[g.ID] {
			if g.judged[p.Kind] {
				ps = append(ps, p)
			}
		}
		used := make([]bool, len(ps))
		// Required facts first, so an optional one never takes a required one's match.
		sort.SliceStable(facts, func(i, j int) bool { return rank(facts[i]) < rank(facts[j]) })
		for _, f := range facts {
			hit := -1
			for i, p := range ps {
				if !used[i] && matches(f, p) {
					hit = i
					break
				}
			}
			k := strings.Split(f.Kind, "|")[0]
			if hit < 0 {
				if !f.Optional {
					res.FN[k]++
					res.Misses = append(res.Misses, Miss{g.ID, f})
				}
				continue
			}
			used[hit] = true
			if f.Optional {
				continue
			}
			res.TP[k]++
			res.RuleTP[ps[hit].Rule]++
			if f.qualifierKey {
				if numeric[k] {
					res.QualN++
					if qual(deref(f.Qualifier)) == qual(ps[hit].Qualifier) {
						res.QualOK++
					}
				}
			}
		}
		for i, p := range ps {
			if !used[i] && (!entity[p.Kind] || entityPrecision) {
				res.FP[p.Kind]++
				res.RuleFP[p.Rule]++
				res.Extras = append(res.Extras, Extra{g.ID, p})
			}
		}
	}
	return res
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func rank(f GoldFact) int {
	r := 0
	if f.Optional {
		r += 4
	}
	if f.Unit != nil && *f.Unit == "*" {
		r += 2
	}
	if strings.Contains(f.Kind, "|") {
		r++
	}
	return r
}

// F1 returns precision, recall and F1 for one kind, or for all kinds when kind is "all".
func (r *Result) F1(kind string) (p, rec, f1 float64, gold, tp, fp int) {
	if kind == "all" {
		for _, v := range r.TP {
			tp += v
		}
		for _, v := range r.FN {
			gold += v
		}
		for _, v := range r.FP {
			fp += v
		}
	} else {
		tp, gold, fp = r.TP[kind], r.FN[kind], r.FP[kind]
	}
	gold += tp
	switch {
	case tp+fp > 0:
		p = float64(tp) / float64(tp+fp)
	case gold == 0:
		p = 1
	}
	rec = 1
	if gold > 0 {
		rec = float64(tp) / float64(gold)
	}
	if p+rec > 0 {
		f1 = 2 * p * rec / (p + rec)
	}
	return
}

// Kinds returns every kind that has a count, sorted.
func (r *Result) Kinds() []string {
	seen := map[string]bool{}
	for _, m := range []map[string]int{r.TP, r.FN, r.FP} {
		for k := range m {
			seen[k] = true
		}
	}
	var ks []string
	for k := range seen {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
