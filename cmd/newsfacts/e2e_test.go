package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/newsfacts/newsfacts/output"
)

const seed = "../../testdata/pages/000_db8b3177b1dab977.txt"

// newsfacts runs the command line in-process and returns its exit code and streams.
func newsfacts(t testing.TB, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

type item struct {
	DocID     string   `json:"doc_id"`
	Kind      string   `json:"kind"`
	Text      string   `json:"text"`
	Start     int      `json:"start"`
	End       int      `json:"end"`
	Value     *float64 `json:"value"`
	ValueMax  *float64 `json:"value_max"`
	Unit      string   `json:"unit"`
	Qualifier string   `json:"qualifier"`
	Date      string   `json:"date"`
	DateEnd   string   `json:"date_end"`
	Metric    string   `json:"metric"`
	Subject   string   `json:"subject"`
	Role      string   `json:"role"`
	Sentence  int      `json:"sentence"`
	Rule      string   `json:"rule"`
}

func parseItems(t *testing.T, out string) []item {
	t.Helper()
	var items []item
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var it item
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			t.Fatalf("not a JSON line: %q: %v", line, err)
		}
		items = append(items, it)
	}
	return items
}

func find(items []item, text string) *item {
	for i := range items {
		if items[i].Text == text {
			return &items[i]
		}
	}
	return nil
}

func num(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// TestExtractSeed checks the figures the issue names on the seed page.
func TestExtractSeed(t *testing.T) {
	code, out, stderr := newsfacts(t, "", "extract", "--pub-date", "2023-11-01", "--format", "jsonl", seed)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
	items := parseItems(t, out)
	want := []struct {
		text, kind string
		value      any
		valueMax   any
		unit, qual string
		date, end  string
	}{
		{"超300亿元", "money", 30000000000.0, nil, "CNY", "over", "", ""},
		{"近900家", "count", 900.0, nil, "家", "under", "", ""},
		{"70%以上", "percent", 70.0, nil, "%", "over", "", ""},
		{"1.52万人", "count", 15200.0, nil, "人", "exact", "", ""},
		{"约200万元", "money", 2000000.0, nil, "CNY", "approx", "", ""},
		{"今年1-9月份", "date", nil, nil, "", "", "2023-01", "2023-09"},
		{"10月29日", "date", nil, nil, "", "", "2023-10-29", ""},
		{"高达94%", "percent", 94.0, nil, "%", "exact", "", ""},
		{"近18亿元", "money", 1800000000.0, nil, "CNY", "under", "", ""},
		{"70万千瓦", "quantity", 700000.0, nil, "kW", "exact", "", ""},
		{"7亿千瓦时", "quantity", 700000000.0, nil, "kWh", "exact", "", ""},
		{"40多年", "duration", 40.0, 50.0, "year", "over", "", ""}, // 40 to 50 years
		{"3个月", "duration", 3.0, nil, "month", "exact", "", ""},
		{"2021年6月", "date", nil, nil, "", "", "2021-06", ""},
		{"4700余间", "count", 4700.0, 4800.0, "间", "over", "", ""},
		{"近3万人次", "count", 30000.0, nil, "人次", "under", "", ""},
	}
	for _, w := range want {
		it := find(items, w.text)
		if it == nil {
			t.Errorf("extract: no item with text %q", w.text)
			continue
		}
		got := []any{it.Kind, num(it.Value), num(it.ValueMax), it.Unit, it.Qualifier, it.Date, it.DateEnd}
		exp := []any{w.kind, w.value, w.valueMax, w.unit, w.qual, w.date, w.end}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("%q: got %v, want %v", w.text, got, exp)
		}
		if it.DocID != seed {
			t.Errorf("%q: doc_id %q, want the file name %q", w.text, it.DocID, seed)
		}
	}
	if m := find(items, "超300亿元"); m != nil && m.Metric != "产值" && m.Metric != "产业规模" {
		t.Errorf("超300亿元: metric %q, want 产值 or 产业规模", m.Metric)
	}
	// The examples of metric and subject, as written on the page.
	for _, w := range []struct{ text, metric, subject string }{
		{"5家", "上市企业", "温岭"}, // 温岭已拥有上市企业5家
		{"约200万元", "年网络销售额", ""},
		{"近18亿元", "板块网络零售额", "温岭"}, // 温岭已培育……直播板块网络零售额近18亿元
	} {
		if m := find(items, w.text); m == nil || m.Metric != w.metric || m.Subject != w.subject {
			t.Errorf("%s: got %+v, want metric %q subject %q", w.text, m, w.metric, w.subject)
		}
	}
	// Not counts: 一批 (a batch of), 一金一铜 (a gold and a bronze).
	for _, it := range items {
		if strings.HasPrefix(it.Text, "一批") || strings.HasPrefix(it.Text, "一金") {
			t.Errorf("false figure %+v", it)
		}
	}
	// The byline 记者 赵碧莹 is a reporter; 刘振清 took the photo.
	roles := map[string]string{}
	for _, it := range items {
		if it.Kind == "person" && it.Role != "" {
			roles[it.Text] = it.Role
		}
	}
	for name, role := range map[string]string{"赵碧莹": "reporter", "刘振清": "photographer", "陈慧": "correspondent", "叶琳": "reporter"} {
		if roles[name] != role {
			t.Errorf("person %s: role %q, want %q (roles found: %v)", name, roles[name], role, roles)
		}
	}
	// Offsets are code points in the cleaned text: the text of the span is the item's text.
	_, cleaned, _ := newsfacts(t, "", "clean", seed)
	rs := []rune(cleaned)
	for _, it := range items {
		if it.End > len(rs) || string(rs[it.Start:it.End]) != it.Text {
			t.Errorf("%q at [%d,%d) does not match the cleaned text", it.Text, it.Start, it.End)
		}
	}
}

func TestExtractJSONLInput(t *testing.T) {
	in := `{"id": "d1", "text": "今年1-2月，完成工业总产值412.3亿元。", "pub_date": "2024-03-15"}
{"id": "d2", "text": "去年出口额增长12.5%。"}
not json
`
	code, out, stderr := newsfacts(t, in, "extract", "--input-format", "jsonl", "--format", "jsonl", "--pub-date", "1998-01-01")
	if code != exitSomeFailed {
		t.Errorf("exit %d, want %d for the bad line", code, exitSomeFailed)
	}
	if !strings.Contains(stderr, "-:3: not a JSON document line") {
		t.Errorf("stderr %q does not name line 3", stderr)
	}
	items := parseItems(t, out)
	var got []string
	for _, it := range items {
		got = append(got, it.DocID+" "+it.Kind+" "+it.Text+" "+it.Date+" "+it.DateEnd)
	}
	want := []string{
		"d1 date 今年1-2月 2024-01 2024-02",
		"d1 money 412.3亿元  ",
		"d2 date 去年 1997 ",
		"d2 percent 12.5%  ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("extract jsonl:\n got %q\nwant %q", got, want)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"extract", "--pub-date", "2023-13-01", seed},
		{"extract", "--format", "xml", seed},
		{"run", "--no-such-flag", seed},
		{"run"},
		{"frobnicate"},
	} {
		code, _, stderr := newsfacts(t, "", args...)
		if code != exitUsage {
			t.Errorf("newsfacts %v: exit %d, want %d (stderr %q)", args, code, exitUsage, stderr)
		}
	}
}

func TestCleanCommand(t *testing.T) {
	code, out, _ := newsfacts(t, "", "clean", seed)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, s := range []string{"工程师协同创新中心，", "扎根库区，", "法律指导", "在乡村振兴中大显身手", "东音泵业", "井用潜水泵"} {
		if !strings.Contains(out, s) {
			t.Errorf("clean: %q not in the cleaned text", s)
		}
	}
	code, diff, _ := newsfacts(t, "", "clean", "--diff", seed)
	if code != 0 || strings.Count(diff, "join_lines\t") != 10 {
		t.Errorf("clean --diff: exit %d, %d join_lines edits, want 10:\n%s", code, strings.Count(diff, "join_lines\t"), diff)
	}
	for _, e := range []string{"lexicon\t554-555\t\"苜\"\t\"音\"", "lexicon\t560-561\t\"并\"\t\"井\"", "debris\t1128-1135\t\"（下转第三版）\"\t\"\"", "doubled\t2765-2766\t\"兴\"\t\"\""} {
		if !strings.Contains(diff, e) {
			t.Errorf("clean --diff lacks %q", e)
		}
	}
	if strings.Contains(out, "下转") || strings.Contains(out, "第三版") {
		t.Errorf("the continuation marker is still in the cleaned text")
	}
	_, kept, _ := newsfacts(t, "", "clean", "--clean.disable", "join_lines", seed)
	if strings.Contains(kept, "创新中心") {
		t.Errorf("clean --clean.disable join_lines still joined lines")
	}
}

// writeBadInputs makes one input of each kind that must fail without stopping the run.
func writeBadInputs(t *testing.T, dir string) {
	t.Helper()
	files := map[string][]byte{
		"empty.txt":   {},
		"binary.txt":  {0x89, 'P', 'N', 'G', 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 0, 0},
		"badutf8.txt": append([]byte("产值超300亿元，"), 0xff, 0xfe, 'a', 0xc3),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readTable[T any](t *testing.T, out, table string) []T {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, table, "*.parquet"))
	if len(files) != 1 {
		t.Fatalf("%s: %d parquet files, want 1", table, len(files))
	}
	rows, err := parquet.ReadFile[T](files[0])
	if err != nil {
		t.Fatalf("read %s: %v", files[0], err)
	}
	return rows
}

// TestRunDataset runs the README's first command on the sample pages plus bad inputs and
// reads the Parquet back.
func TestRunDataset(t *testing.T) {
	bad := t.TempDir()
	writeBadInputs(t, bad)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := newsfacts(t, "", "run", "--out", out, "--workers", "2", "../../testdata/pages", bad, filepath.Join(bad, "missing.txt"))
	if code != exitSomeFailed {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitSomeFailed, stderr)
	}
	for _, s := range []string{"documents: 6 (ok 2, partial 0, failed 4)", "facts: ", "time: "} {
		if !strings.Contains(stdout, s) {
			t.Errorf("summary lacks %q:\n%s", s, stdout)
		}
	}
	for _, s := range []string{"empty.txt", "binary.txt", "badutf8.txt", "missing.txt"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr does not name %s:\n%s", s, stderr)
		}
	}
	docs := readTable[output.DocumentRow](t, out, "documents")
	status := map[string]string{}
	for _, d := range docs {
		status[filepath.Base(d.Source)] = d.Status
		if d.Status == "failed" && (d.Error == nil || !strings.Contains(*d.Error, filepath.Base(d.Source))) {
			t.Errorf("failed document %s: error %v does not name the file", d.Source, d.Error)
		}
	}
	wantStatus := map[string]string{
		"000_db8b3177b1dab977.txt": "ok", "2024-03-15_p01.txt": "ok",
		"empty.txt": "failed", "binary.txt": "failed", "badutf8.txt": "failed", "missing.txt": "failed",
	}
	if !reflect.DeepEqual(status, wantStatus) {
		t.Errorf("document statuses %v, want %v", status, wantStatus)
	}
	for _, d := range docs {
		if filepath.Base(d.Source) == "2024-03-15_p01.txt" {
			if d.Encoding != "gb18030" || d.PubDate == nil || *d.PubDate != "2024-03-15" || d.Page == nil || *d.Page != 1 {
				t.Errorf("GBK page: encoding %s, pub_date %v, page %v", d.Encoding, d.PubDate, d.Page)
			}
		}
	}

	facts := readTable[output.FactRow](t, out, "facts")
	var gbk []string
	for _, f := range facts {
		if f.RulesVersion == "" || f.Context == "" {
			t.Errorf("fact %q lacks rules_version or context", f.Text)
		}
		if filepath.Base(f.Source) == "2024-03-15_p01.txt" {
			v := ""
			if f.Value != nil {
				v = strings.TrimRight(strings.TrimRight(jsonNum(*f.Value), "0"), ".")
			}
			if f.Date != nil {
				v = *f.Date
				if f.DateEnd != nil {
					v += ".." + *f.DateEnd
				}
			}
			gbk = append(gbk, f.Kind+" "+f.Text+" "+v)
		}
	}
	for _, w := range []string{
		"money 412.3亿元 41230000000", "date 今年1-2月 2024-01..2024-02", "percent 1.2个百分点 1.2",
		"money 约8亿美元 800000000", "money 8亿至10亿元 800000000", "count 近2000家 2000", "date 3月14日 2024-03-14",
	} {
		if !contains(strings.Join(gbk, "\n"), w) {
			t.Errorf("facts of the GBK page lack %q; have:\n%s", w, strings.Join(gbk, "\n"))
		}
	}
	arts := readTable[output.ArticleRow](t, out, "articles")
	bylines := 0
	for _, a := range arts {
		if a.Byline != nil {
			bylines++
		}
	}
	// The seed page's five bylines and a photo credit, and the GBK page's byline.
	if bylines != 7 {
		t.Errorf("articles with a byline: %d, want 7", bylines)
	}
	ents := readTable[output.EntityRow](t, out, "entities")
	reporters := 0
	for _, e := range ents {
		if e.Role != nil && *e.Role == "reporter" {
			reporters++
		}
	}
	if reporters < 5 {
		t.Errorf("reporters in entities: %d, want at least 5", reporters)
	}
	if _, err := os.Stat(filepath.Join(out, "_SUCCESS")); err != nil {
		t.Errorf("no _SUCCESS marker: %v", err)
	}
}

func jsonNum(v float64) string {
	b, _ := json.Marshal(v)
	return string(b) + "."
}

// TestRunWorkersDeterministic: the same rows whatever the number of workers.
func TestRunWorkersDeterministic(t *testing.T) {
	dump := func(workers string) []string {
		out := filepath.Join(t.TempDir(), "out")
		code, _, stderr := newsfacts(t, "", "run", "--out", out, "--workers", workers, "../../testdata/pages")
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", workers, code, stderr)
		}
		var lines []string
		for _, f := range readTable[output.FactRow](t, out, "facts") {
			b, _ := json.Marshal(f)
			lines = append(lines, string(b))
		}
		for _, e := range readTable[output.EntityRow](t, out, "entities") {
			b, _ := json.Marshal(e)
			lines = append(lines, string(b))
		}
		return lines
	}
	one, four := dump("1"), dump("4")
	if len(one) == 0 || !reflect.DeepEqual(one, four) {
		t.Errorf("rows differ between 1 and 4 workers (%d and %d rows)", len(one), len(four))
	}
}
