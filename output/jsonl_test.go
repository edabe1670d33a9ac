package output

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/output")

// golden compares got with testdata/output/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "output", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./output -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./output -update rewrites it)\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

const moneyLine = `{"doc_id":"db8b3177b1dab977","kind":"money","text":"超300亿元","start":27,"end":33,"value":30000000000,"unit":"CNY","qualifier":"over","metric":"产业规模","subject":"泵业","sentence":0,"rule":"money.cn.yi"}`

func TestJSONL(t *testing.T) {
	var buf bytes.Buffer
	w := NewJSONL(&buf)
	for _, d := range []*pipeline.Doc{sampleDoc(t), failedDoc()} {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3 (reporter, money, date; nothing for the failed document):\n%s", len(lines), out)
	}
	// Document order: the byline's reporter, then the money fact, then the date.
	if lines[1] != moneyLine {
		t.Errorf("money line\n got %s\nwant %s", lines[1], moneyLine)
	}
	if want := `{"doc_id":"db8b3177b1dab977","kind":"person","text":"赵碧莹","start":17,"end":20,"role":"reporter","sentence":0,"rule":"person.byline"}`; lines[0] != want {
		t.Errorf("person line\n got %s\nwant %s", lines[0], want)
	}
	if want := `{"doc_id":"db8b3177b1dab977","kind":"date","text":"2023年1月至9月","start":34,"end":44,"date":"2023-01","date_end":"2023-09","sentence":1,"rule":"date.month-range"}`; lines[2] != want {
		t.Errorf("date line\n got %s\nwant %s", lines[2], want)
	}
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("not JSON: %s", l)
		}
	}
	golden(t, "sample.jsonl", buf.Bytes())
}

// encoding/json prints a float64 in plain decimal form below 1e21, which covers every money
// value a newspaper prints (1e21 yuan is a thousand times the world's GDP); a zero value is
// kept, not omitted.
func TestJSONLNumbers(t *testing.T) {
	for _, c := range []struct {
		value *float64
		want  string
	}{
		{f64(3e10), `"value":30000000000,`},
		{f64(1.2e12), `"value":1200000000000,`},
		{f64(1e20), `"value":100000000000000000000,`},
		{f64(12.5), `"value":12.5,`},
		{f64(0.000001), `"value":0.000001,`},
		{f64(0), `"value":0,`},
		{f64(-3), `"value":-3,`},
		{nil, `"end":1,"sentence"`},
	} {
		var buf bytes.Buffer
		w := NewJSONL(&buf)
		d := &pipeline.Doc{ID: "n", Facts: []pipeline.Fact{{Kind: "number", Text: "x", Start: 0, End: 1, Value: c.value}}}
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if !strings.Contains(buf.String(), c.want) {
			t.Errorf("value %v: got %s, want it to contain %s", c.value, buf.String(), c.want)
		}
	}
}

// Text goes out as written: no \u003c for <, no \uXXXX for Chinese.
func TestJSONLNoEscaping(t *testing.T) {
	var buf bytes.Buffer
	w := NewJSONL(&buf)
	d := &pipeline.Doc{ID: "a&b", Facts: []pipeline.Fact{{Kind: "percent", Text: "<5%>", Unit: "%", Value: f64(5), Rule: "pct"}}}
	if err := w.Write(d); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	want := `{"doc_id":"a&b","kind":"percent","text":"<5%>","start":0,"end":0,"value":5,"unit":"%","sentence":0,"rule":"pct"}` + "\n"
	if buf.String() != want {
		t.Errorf("got  %swant %s", buf.String(), want)
	}
}

func TestItemsOrder(t *testing.T) {
	d := &pipeline.Doc{
		ID: "o",
		Facts: []pipeline.Fact{
			{Kind: "money", Start: 10, End: 15},
			{Kind: "percent", Start: 2, End: 4},
			{Kind: "count", Start: 10, End: 12},
		},
		Entities: []pipeline.Entity{
			{Kind: "organization", Start: 10, End: 12},
			{Kind: "location", Start: 0, End: 2},
		},
	}
	var got []string
	for _, it := range Items(d) {
		got = append(got, it.Kind)
	}
	want := "location percent count organization money"
	if strings.Join(got, " ") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
}

func TestTable(t *testing.T) {
	var buf bytes.Buffer
	w := NewTable(&buf)
	d := sampleDoc(t)
	d.Facts = append(d.Facts, pipeline.Fact{
		Kind: "money", Text: "8亿至10亿元", Start: 60, End: 67, Value: f64(8e8), ValueMax: f64(1e9),
		Unit: "CNY", Qualifier: "range", Sentence: 2, Rule: "money.cn.range",
	})
	for _, d := range []*pipeline.Doc{d, failedDoc()} {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"30000000000", "800000000..1000000000", "2023-01..2023-09", "超300亿元"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "e+") {
		t.Errorf("table has a number in exponent form:\n%s", out)
	}
	// Aligned on screen: every column starts at the same display column on every line.
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("got %d lines, want a header and 4 items:\n%s", len(lines), out)
	}
	header := lines[0]
	for _, col := range []string{"kind", "text", "value", "unit", "qualifier", "date", "rule"} {
		at := displayWidth(header[:strings.Index(header, col)])
		for _, l := range lines[1:] {
			if !startsCellAt(l, at) {
				t.Errorf("column %s (display column %d) is not aligned in\n%s", col, at, l)
			}
		}
	}
	golden(t, "sample.table.txt", buf.Bytes())
	// Flush emptied the table.
	buf.Reset()
	w.Flush()
	if buf.Len() != 0 {
		t.Errorf("second Flush printed %q", buf.String())
	}
}

// startsCellAt reports whether a cell of line begins at display column at: a space before it
// and a non-space at it.
func startsCellAt(line string, at int) bool {
	col := 0
	prev := ' '
	for _, r := range line {
		if col == at {
			return prev == ' ' && r != ' '
		}
		col += displayWidth(string(r))
		prev = r
		if col > at {
			return false
		}
	}
	return false
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "超300亿元": 9, "，": 2, "e\u0301": 1, "ｕ": 2} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
