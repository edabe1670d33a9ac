package output

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// The row types below are the Parquet schemas of the four tables (design.md, "Parquet
// dataset"). Column names are snake_case; a pointer field is an optional (nullable) column,
// null where the value is absent. Offsets (start, end, body_start) are in Unicode code points
// of the document's cleaned text, end exclusive; raw_start and raw_end are the same span in
// the decoded text before cleaning. Compression is set per file by the writer (zstd).
// Columns with few distinct values are dictionary-encoded ("dict").
//
// Note for SQL readers: "end" is a reserved word in DuckDB and most SQL dialects; quote it
// ("end") in queries.

// DocumentRow is one input file: the documents table. Every input appears here, failed ones
// included, with the stage and the reason.
type DocumentRow struct {
	DocID        string  `parquet:"doc_id"`
	Source       string  `parquet:"source"`
	Format       string  `parquet:"format,dict"`
	Encoding     string  `parquet:"encoding,dict"`
	Bytes        int64   `parquet:"bytes"`
	Pages        int32   `parquet:"pages"`
	Page         *int32  `parquet:"page"` // printed page number; null when unknown
	PubDate      *string `parquet:"pub_date"`
	Status       string  `parquet:"status,dict"` // ok, partial, failed
	Error        *string `parquet:"error"`
	Stage        *string `parquet:"stage,dict"` // the stage that failed the document
	Articles     int32   `parquet:"articles"`
	Sentences    int32   `parquet:"sentences"`
	Facts        int32   `parquet:"facts"`
	Entities     int32   `parquet:"entities"`
	Chars        int32   `parquet:"chars"` // length of the cleaned text in code points
	ElapsedMS    float64 `parquet:"elapsed_ms"`
	RulesVersion string  `parquet:"rules_version,dict"`
	ToolVersion  string  `parquet:"tool_version,dict"`
}

// ArticleRow is one article found on a page: the articles table.
type ArticleRow struct {
	DocID       string   `parquet:"doc_id,dict"`
	Article     int32    `parquet:"article"`
	Page        *int32   `parquet:"page"`
	Headline    string   `parquet:"headline"`
	Byline      *string  `parquet:"byline"`
	Dateline    *string  `parquet:"dateline"`
	RefDate     *string  `parquet:"ref_date"`
	Reporters   []string `parquet:"reporters,list"`
	ContinuesOn *string  `parquet:"continues_on"`
	Start       int32    `parquet:"start"`
	End         int32    `parquet:"end"`
	BodyStart   int32    `parquet:"body_start"`
	RawStart    int32    `parquet:"raw_start"`
	RawEnd      int32    `parquet:"raw_end"`
	Text        string   `parquet:"text"` // the article's cleaned text, Text[start:end]
}

// FactRow is one figure or date: the facts table. It carries the fields of the JSON Lines
// contract plus where the fact came from.
type FactRow struct {
	DocID        string   `parquet:"doc_id,dict"`
	Article      int32    `parquet:"article"`
	Page         *int32   `parquet:"page"`
	Sentence     int32    `parquet:"sentence"`
	Kind         string   `parquet:"kind,dict"`
	Text         string   `parquet:"text"`
	Start        int32    `parquet:"start"`
	End          int32    `parquet:"end"`
	RawStart     int32    `parquet:"raw_start"`
	RawEnd       int32    `parquet:"raw_end"`
	Value        *float64 `parquet:"value"`
	ValueMax     *float64 `parquet:"value_max"`
	Unit         *string  `parquet:"unit,dict"`
	Qualifier    *string  `parquet:"qualifier,dict"`
	Date         *string  `parquet:"date"`
	DateEnd      *string  `parquet:"date_end"`
	Metric       *string  `parquet:"metric"`
	Subject      *string  `parquet:"subject"`
	Context      string   `parquet:"context"` // the sentence's cleaned text
	Rule         string   `parquet:"rule,dict"`
	RulesVersion string   `parquet:"rules_version,dict"`
	Source       string   `parquet:"source,dict"` // the input path
}

// EntityRow is one mention of a person, organisation or place: the entities table.
type EntityRow struct {
	DocID        string  `parquet:"doc_id,dict"`
	Article      int32   `parquet:"article"`
	Page         *int32  `parquet:"page"`
	Sentence     int32   `parquet:"sentence"`
	Kind         string  `parquet:"kind,dict"`
	Text         string  `parquet:"text"`
	Normalized   *string `parquet:"normalized"`
	Role         *string `parquet:"role,dict"`
	Start        int32   `parquet:"start"`
	End          int32   `parquet:"end"`
	RawStart     int32   `parquet:"raw_start"`
	RawEnd       int32   `parquet:"raw_end"`
	Rule         string  `parquet:"rule,dict"`
	RulesVersion string  `parquet:"rules_version,dict"`
}

// Rows builds the rows of one document for the four tables. A failed document gives its
// DocumentRow and nothing else; a partial one gives whatever its stages produced. A document
// with no status (no stage failed it) is written as ok.
func Rows(d *pipeline.Doc, rulesVersion, toolVersion string) (DocumentRow, []ArticleRow, []FactRow, []EntityRow) {
	b := newRowBuilder(d, rulesVersion, toolVersion)
	na, nf, ne := b.counts()
	return b.document(), b.articles(&rowBuf[ArticleRow]{}, 0, na), b.facts(&rowBuf[FactRow]{}, 0, nf), b.entities(&rowBuf[EntityRow]{}, 0, ne)
}

// rowBuf is the memory of a table's batches of rows, used again for each batch: the writer
// copies the values it is given, so a batch's rows and optional values are free once written.
// A full batch of fact rows is 0.9 MB and its optional values 0.5 MB; made anew for each
// batch, rows were most of the bytes that writing allocated.
type rowBuf[T any] struct {
	rows  []T
	nulls nulls
}

// batch returns room for n rows (length 0) and the optional values of n rows of at most strs
// optional strings and floats optional floats each.
func (r *rowBuf[T]) batch(n, strs, floats int) ([]T, *nulls) {
	if cap(r.rows) < n {
		r.rows = make([]T, 0, n)
	}
	r.nulls.reset(n, strs, floats)
	return r.rows[:0], &r.nulls
}

// release forgets the values of the last batch, rows (as batch returned it, filled), so that
// the buffer holds no document's text once the document is written.
func (r *rowBuf[T]) release(rows []T) {
	clear(rows)
	r.nulls.release()
}

// rowBuilder builds the rows of one document, the facts and entities a range at a time, so that
// a document of a hundred thousand facts need not have them all as rows at once. Its methods
// may be called from several goroutines.
type rowBuilder struct {
	d                         *pipeline.Doc
	rulesVersion, toolVersion string
	text                      codePoints
	sentence                  func(i int) (pipeline.Sentence, bool)
	page                      *int32 // the page of every row of a text file (its name's); rows share it
	source                    string // d.Source as the tables hold it (ValidText)
}

func newRowBuilder(d *pipeline.Doc, rulesVersion, toolVersion string) *rowBuilder {
	return &rowBuilder{d: d, rulesVersion: rulesVersion, toolVersion: toolVersion,
		text: newCodePoints(d.Text), sentence: sentenceIndex(d.Sentences),
		page:   new(nulls).int32(d.Page), // the document row and every row of a text file share it
		source: ValidText(d.Source)}
}

// ValidText returns s if it is UTF-8, and otherwise s with every byte outside ASCII written
// as \xHH (as `ls -b` writes such bytes; a backslash is left as it is, as in a Windows path,
// so a name holding the four characters \xB0 reads as one holding that byte: what keys on a
// path, the manifest and doc_id, keeps its bytes). Paths
// come from the file system as bytes: a name made on another system (GBK names in an archive
// unzipped from Windows) is not UTF-8, and a STRING column holding it made the whole file
// unreadable to DuckDB and Arrow. Every byte is escaped, not only those that are not UTF-8:
// some pairs of GBK bytes are also a UTF-8 character, which would be shown as another one.
func ValidText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "\\x%02X", c)
		}
	}
	return b.String()
}

// counts returns the number of article, fact and entity rows: none for a failed document.
func (b *rowBuilder) counts() (articles, facts, entities int) {
	if b.d.Failed() {
		return 0, 0, 0
	}
	return len(b.d.Articles), len(b.d.Facts), len(b.d.Entities)
}

// pageOf is the page a row's text came from: for a PDF, the page of raw offset raw; for a
// text file, the page its name gives.
func (b *rowBuilder) pageOf(n *nulls, raw int) *int32 {
	if len(b.d.PageStarts) > 0 {
		return n.int32(b.d.PageAt(raw))
	}
	return b.page
}

func (b *rowBuilder) document() DocumentRow {
	d := b.d
	status := d.Status
	if status == "" {
		status = pipeline.StatusOK
	}
	var n nulls
	n.reset(1, 5, 0)
	row := DocumentRow{
		DocID:        d.ID,
		Source:       b.source,
		Format:       d.Format,
		Encoding:     d.Encoding,
		Bytes:        d.Size,
		Pages:        int32(d.Pages),
		Page:         b.page,
		PubDate:      n.str(d.PubDate),
		Status:       status,
		Error:        n.str(ValidText(d.Error)), // it may name the file
		Stage:        n.str(d.Stage),
		Articles:     int32(len(d.Articles)),
		Sentences:    int32(len(d.Sentences)),
		Facts:        int32(len(d.Facts)),
		Entities:     int32(len(d.Entities)),
		Chars:        int32(b.text.len()),
		ElapsedMS:    float64(d.Elapsed.Nanoseconds()) / 1e6,
		RulesVersion: b.rulesVersion,
		ToolVersion:  b.toolVersion,
	}
	if !d.Whole() { // the last part of a file read in parts: the row is the whole file's
		t, status, stage, err := d.File()
		row.Bytes, row.Chars, row.ElapsedMS = t.Bytes, int32(t.Chars), float64(t.Elapsed.Nanoseconds())/1e6
		row.Articles, row.Sentences = int32(t.Articles), int32(t.Sentences)
		row.Facts, row.Entities = int32(t.Facts), int32(t.Entities)
		row.Status, row.Stage, row.Error = status, n.str(stage), n.str(ValidText(err))
	}
	return row
}

// at is an offset or a number of a document as its column holds it: counted from the start of
// its file when the document is one part of it (pipeline.InFile).
func at(i, before int) int32 { return int32(pipeline.InFile(i, before)) }

// articles returns the rows of articles [lo, hi), in buf.
func (b *rowBuilder) articles(buf *rowBuf[ArticleRow], lo, hi int) []ArticleRow {
	d, p := b.d, &b.d.Part.Before
	if hi <= lo {
		return nil
	}
	articles, n := buf.batch(hi-lo, 4, 0)
	for _, a := range d.Articles[lo:hi] {
		rs, re := d.Map.Raw(a.Start, a.End)
		articles = append(articles, ArticleRow{
			DocID:       d.ID,
			Article:     at(a.Index, p.Articles),
			Page:        b.pageOf(n, rs),
			Headline:    a.Headline,
			Byline:      n.str(a.Byline),
			Dateline:    n.str(a.Dateline),
			RefDate:     n.str(a.RefDate),
			Reporters:   nonNil(a.Reporters),
			ContinuesOn: n.str(a.ContinuesOn),
			Start:       at(a.Start, p.Chars),
			End:         at(a.End, p.Chars),
			BodyStart:   at(a.BodyStart, p.Chars),
			RawStart:    at(rs, p.RawChars),
			RawEnd:      at(re, p.RawChars),
			Text:        b.text.slice(a.Start, a.End),
		})
	}
	return articles
}

// facts returns the rows of facts [lo, hi), in buf.
func (b *rowBuilder) facts(buf *rowBuf[FactRow], lo, hi int) []FactRow {
	d, p := b.d, &b.d.Part.Before
	if hi <= lo {
		return nil
	}
	facts, n := buf.batch(hi-lo, 6, 2)
	// The facts of a sentence come one after another: its text is sliced once for them.
	context, sentence := "", -1
	for _, f := range d.Facts[lo:hi] {
		rs, re := d.Map.Raw(f.Start, f.End)
		if f.Sentence != sentence {
			context, sentence = "", f.Sentence
			if s, ok := b.sentence(f.Sentence); ok {
				context = b.text.slice(s.Start, s.End)
			}
		}
		facts = append(facts, FactRow{
			DocID:        d.ID,
			Article:      at(f.Article, p.Articles),
			Page:         b.pageOf(n, rs),
			Sentence:     at(f.Sentence, p.Sentences),
			Kind:         f.Kind,
			Text:         f.Text,
			Start:        at(f.Start, p.Chars),
			End:          at(f.End, p.Chars),
			RawStart:     at(rs, p.RawChars),
			RawEnd:       at(re, p.RawChars),
			Value:        n.float(f.Value),
			ValueMax:     n.float(f.ValueMax),
			Unit:         n.str(f.Unit),
			Qualifier:    n.str(f.Qualifier),
			Date:         n.str(f.Date),
			DateEnd:      n.str(f.DateEnd),
			Metric:       n.str(f.Metric),
			Subject:      n.str(f.Subject),
			Context:      context,
			Rule:         f.Rule,
			RulesVersion: b.rulesVersion,
			Source:       b.source,
		})
	}
	return facts
}

// entities returns the rows of entities [lo, hi), in buf.
func (b *rowBuilder) entities(buf *rowBuf[EntityRow], lo, hi int) []EntityRow {
	d, p := b.d, &b.d.Part.Before
	if hi <= lo {
		return nil
	}
	entities, n := buf.batch(hi-lo, 2, 0)
	for _, e := range d.Entities[lo:hi] {
		rs, re := d.Map.Raw(e.Start, e.End)
		entities = append(entities, EntityRow{
			DocID:        d.ID,
			Article:      at(e.Article, p.Articles),
			Page:         b.pageOf(n, rs),
			Sentence:     at(e.Sentence, p.Sentences),
			Kind:         e.Kind,
			Text:         e.Text,
			Normalized:   n.str(e.Normalized),
			Role:         n.str(e.Role),
			Start:        at(e.Start, p.Chars),
			End:          at(e.End, p.Chars),
			RawStart:     at(rs, p.RawChars),
			RawEnd:       at(re, p.RawChars),
			Rule:         e.Rule,
			RulesVersion: b.rulesVersion,
		})
	}
	return entities
}

// sentenceIndex returns the sentence of index i (as facts and entities name it): the sentence
// at position i, which split numbers so, or else the one that carries the index.
func sentenceIndex(ss []pipeline.Sentence) func(i int) (pipeline.Sentence, bool) {
	for i, s := range ss {
		if s.Index != i {
			m := make(map[int]pipeline.Sentence, len(ss))
			for _, s := range ss {
				m[s.Index] = s
			}
			return func(i int) (pipeline.Sentence, bool) { s, ok := m[i]; return s, ok }
		}
	}
	return func(i int) (pipeline.Sentence, bool) {
		if i < 0 || i >= len(ss) {
			return pipeline.Sentence{}, false
		}
		return ss[i], true
	}
}

// codePoints slices a string by code point offsets. It keeps the byte offset of every
// cpStep-th code point and walks from there: an offset for every code point took 4 bytes a
// code point, 40 MB for an archive of 29 MB in one file.
type codePoints struct {
	s     string
	n     int     // code points
	every []int32 // byte offset of code point k*cpStep (the schema's offsets are int32)
	valid bool    // s is valid UTF-8
}

const cpStep = 64

// newCodePoints indexes s by code point as `for i := range s` counts them. In valid UTF-8 (the
// cleaned text always is) a code point begins at every byte that is not a continuation byte
// (10xxxxxx), which is quicker to test than decoding.
func newCodePoints(s string) codePoints {
	c := codePoints{s: s, every: make([]int32, 0, len(s)/cpStep+1), valid: utf8.ValidString(s)}
	if !c.valid {
		for i := range s {
			if c.n%cpStep == 0 {
				c.every = append(c.every, int32(i))
			}
			c.n++
		}
		return c
	}
	for i := 0; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			if c.n%cpStep == 0 {
				c.every = append(c.every, int32(i))
			}
			c.n++
		}
	}
	return c
}

func (c codePoints) len() int { return c.n }

// offset returns the byte offset of code point k, 0 <= k <= len().
func (c codePoints) offset(k int) int {
	if k == c.n {
		return len(c.s)
	}
	b := int(c.every[k/cpStep])
	if c.valid { // a code point's length is in its first byte
		for range k % cpStep {
			b += utf8Len[c.s[b]>>4]
		}
		return b
	}
	for range k % cpStep {
		_, size := utf8.DecodeRuneInString(c.s[b:])
		b += size
	}
	return b
}

// utf8Len is the length of a UTF-8 sequence by the high four bits of its first byte.
var utf8Len = [16]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4}

// slice returns code points [start, end), clamped to the text; an empty or inverted span
// gives "".
func (c codePoints) slice(start, end int) string {
	n := c.len()
	start = max(0, min(start, n))
	end = max(0, min(end, n))
	if end <= start {
		return ""
	}
	return c.s[c.offset(start):c.offset(end)]
}

func copyFloat(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// nulls holds the values of a batch of rows' optional columns, which the rows take as
// pointers: a slice per type for the batch instead of an allocation per value (a fact row had
// up to nine). Each slice has room for every value the batch can have (reset), so that it is
// not moved; a pointer into a moved slice would still read the right value, from the old copy.
type nulls struct {
	strs   []string
	floats []float64
	ints   []int32
}

// reset empties n and makes room for rows rows of at most strs optional strings and floats
// optional floats each, and a page number; what n already has is used again when it is enough.
func (n *nulls) reset(rows, strs, floats int) {
	n.strs = room(n.strs, rows*strs)
	n.floats = room(n.floats, rows*floats)
	n.ints = room(n.ints, rows)
}

// release forgets the strings of the last batch.
func (n *nulls) release() { clear(n.strs) }

// room returns s emptied with a capacity of at least size.
func room[E any](s []E, size int) []E {
	if cap(s) < size {
		return make([]E, 0, size)
	}
	return s[:0]
}

// str is s as an optional column: nil when empty.
func (n *nulls) str(s string) *string {
	if s == "" {
		return nil
	}
	n.strs = append(n.strs, s)
	return &n.strs[len(n.strs)-1]
}

// float is a copy of *p, or nil.
func (n *nulls) float(p *float64) *float64 {
	if p == nil {
		return nil
	}
	n.floats = append(n.floats, *p)
	return &n.floats[len(n.floats)-1]
}

// int32 is v as an optional column: nil when 0.
func (n *nulls) int32(v int) *int32 {
	if v == 0 {
		return nil
	}
	n.ints = append(n.ints, int32(v))
	return &n.ints[len(n.ints)-1]
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
