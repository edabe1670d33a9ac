package output

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/newsfacts/newsfacts/pipeline"
)

// Item is one line of the extract contract (design.md, "JSON Lines output of extract"). Fields
// that do not apply are omitted; numbers that may be absent are pointers, so a real 0 is kept.
// The field order here is the key order of every line.
type Item struct {
	DocID     string   `json:"doc_id"`
	Kind      string   `json:"kind"`
	Text      string   `json:"text"`
	Start     int      `json:"start"`
	End       int      `json:"end"`
	Value     *float64 `json:"value,omitempty"`
	ValueMax  *float64 `json:"value_max,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Qualifier string   `json:"qualifier,omitempty"`
	Date      string   `json:"date,omitempty"`
	DateEnd   string   `json:"date_end,omitempty"`
	Metric    string   `json:"metric,omitempty"`
	Subject   string   `json:"subject,omitempty"`
	Role      string   `json:"role,omitempty"`
	Sentence  int      `json:"sentence"`
	Rule      string   `json:"rule"`
}

// Items returns the doc's facts and entities merged in document order: by Start, then End,
// then kind; items that tie on all three keep their order (facts before entities). A failed
// document has no items, whatever its stages left on it.
func Items(d *pipeline.Doc) []Item {
	if d.Failed() {
		return nil
	}
	items := make([]Item, 0, len(d.Facts)+len(d.Entities))
	p := d.Part // a later part of a file: offsets and numbers count from the file's start
	for _, f := range d.Facts {
		items = append(items, FactItem(d.ID, p.FileFact(f)))
	}
	for _, e := range d.Entities {
		items = append(items, Item{
			DocID:    d.ID,
			Kind:     e.Kind,
			Text:     e.Text,
			Start:    pipeline.InFile(e.Start, p.Before.Chars),
			End:      pipeline.InFile(e.End, p.Before.Chars),
			Role:     e.Role,
			Sentence: pipeline.InFile(e.Sentence, p.Before.Sentences),
			Rule:     e.Rule,
		})
	}
	slices.SortStableFunc(items, func(a, b Item) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.Kind, b.Kind))
	})
	return items
}

// FactItem is one fact of document docID as a line of the extract contract.
func FactItem(docID string, f pipeline.Fact) Item {
	return Item{
		DocID:     docID,
		Kind:      f.Kind,
		Text:      f.Text,
		Start:     f.Start,
		End:       f.End,
		Value:     copyFloat(f.Value),
		ValueMax:  copyFloat(f.ValueMax),
		Unit:      f.Unit,
		Qualifier: f.Qualifier,
		Date:      f.Date,
		DateEnd:   f.DateEnd,
		Metric:    f.Metric,
		Subject:   f.Subject,
		Sentence:  f.Sentence,
		Rule:      f.Rule,
	}
}

// JSONLWriter prints the extract contract: one JSON object per item, one per line, UTF-8 as
// is (no HTML or non-ASCII escaping). Output is buffered until Flush.
type JSONLWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewJSONL returns a JSONLWriter that writes to w.
func NewJSONL(w io.Writer) *JSONLWriter {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLWriter{w: bw, enc: enc}
}

// Write prints the document's items. A failed document has none; report its error elsewhere.
func (j *JSONLWriter) Write(d *pipeline.Doc) error {
	for _, it := range Items(d) {
		// Encode ends each object with a newline; numbers print as plain decimals below 1e21
		// (3e10 → 30000000000).
		if err := j.enc.Encode(it); err != nil {
			return fmt.Errorf("output: document %s: %w", d.ID, err)
		}
	}
	return nil
}

// Flush writes any buffered output.
func (j *JSONLWriter) Flush() error { return j.w.Flush() }

// tableColumns are the columns of the human-readable table.
var tableColumns = []string{"doc", "kind", "text", "value", "unit", "qualifier", "date", "rule"}

// TableWriter prints items as aligned columns for people: doc, kind, text, value, unit,
// qualifier, date, rule; an empty cell prints as "-", a range as "low..high". Rows are kept
// until Flush, which aligns and prints them all under one header.
//
// text/tabwriter is not used: it measures cells in code points, so columns after Chinese text
// (two terminal cells per character) drift. Widths here are East Asian display widths.
type TableWriter struct {
	w    io.Writer
	rows [][]string
}

// NewTable returns a TableWriter that writes to w.
func NewTable(w io.Writer) *TableWriter { return &TableWriter{w: w} }

// Write adds the document's items to the table.
func (t *TableWriter) Write(d *pipeline.Doc) error {
	for _, it := range Items(d) {
		value := formatNumber(it.Value)
		if it.ValueMax != nil {
			value += ".." + formatNumber(it.ValueMax)
		}
		date := it.Date
		if it.DateEnd != "" {
			date += ".." + it.DateEnd
		}
		t.rows = append(t.rows, []string{it.DocID, it.Kind, it.Text, value, it.Unit, it.Qualifier, date, it.Rule})
	}
	return nil
}

// Flush prints the header and the rows kept so far, aligned, and starts a new table.
func (t *TableWriter) Flush() error {
	if len(t.rows) == 0 {
		return nil
	}
	rows := append([][]string{slices.Clone(tableColumns)}, t.rows...)
	t.rows = nil
	widths := make([]int, len(tableColumns))
	for _, r := range rows {
		for i, c := range r {
			r[i] = cell(c)
			widths[i] = max(widths[i], displayWidth(r[i]))
		}
	}
	bw := bufio.NewWriter(t.w)
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		bw.WriteString(strings.TrimRight(line.String(), " "))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// formatNumber prints a value as a plain decimal, never in exponent form; nil is "".
func formatNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// cell makes a table cell one line: control characters become spaces, "" becomes "-".
func cell(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if s == "" {
		return "-"
	}
	return s
}

// displayWidth is the number of terminal cells s takes: two for wide and fullwidth characters
// (Chinese), none for combining marks and format characters, one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		default:
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
	}
	return n
}
