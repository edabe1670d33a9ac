package pipeline

import (
	"context"
	"os"
	"sort"
	"strings"
	"time"
)

// Document statuses, as written to the documents table.
const (
	StatusOK      = "ok"
	StatusPartial = "partial"
	StatusFailed  = "failed"
)

// Doc is one input document as it moves through the pipeline. Each stage fills in its part;
// offsets are in Unicode code points of Text (the cleaned text) unless named Raw*.
type Doc struct {
	Seq    int    // position in the input order; the sink writes documents in this order
	ID     string // derived from the input's bytes (or the id given in JSON Lines input)
	Source string // the path as given on the command line, "-" for standard input
	Format string // "text" (later: "pdf")

	ctx    context.Context    // set by Watch; cancelled once the runner abandoned the document
	cancel context.CancelFunc // cancels ctx (Abandon)
	held   func()             // set by Hold, never changed after: gives back what reading Bytes took from a budget

	// Filled by the reader.
	Bytes    []byte   // the input as read; released after decoding
	OnDisk   *FileRef // instead of Bytes for a PDF larger than source.WholeBytes: its pages are read where it lies
	Size     int64    // number of bytes read
	Encoding string   // utf-8, utf-8-bom, utf-16le, utf-16be, gb18030
	Pages    int      // 1 for a text file
	Page     int      // the printed page number, when the file name says (…_p05.txt), else 0

	// For PDFs: where each page starts in Raw (code points), and how its text was obtained.
	PageStarts []int
	PageInfo   []PageInfo
	PubDate    string // YYYY-MM-DD: from the input, the file name, or --pub-date

	// For PDFs: where each line the page set in a headline's font size starts in Raw (code
	// points, ascending). Article splitting starts an article there.
	HeadlineStarts []int

	// Filled by decoding and cleaning.
	Raw   string    // the decoded text, before cleaning (the commands' stages release it once cleaned)
	Text  string    // the cleaned text; every offset in facts and entities refers to it
	Map   OffsetMap // cleaned code point → raw code point span
	Edits []Edit    // what cleaning changed, in raw order

	// Filled by splitting, segmentation and extraction.
	Articles  []Article
	Sentences []Sentence
	Facts     []Fact
	Entities  []Entity

	Status  string // ok, partial, failed
	Error   string // the first error that failed the document, naming the file and the problem
	Stage   string // the stage that failed it
	Elapsed time.Duration

	// Part places the document in its file when a large text file is read in parts
	// (source.ReadParts); a whole file is part 0 with no more to come.
	Part Part
	// RawChars is the length of Raw in code points, for a document that is one of several
	// parts (source.ReadParts counts it): the next part's raw offsets count from it.
	RawChars int
}

// Part says where a document that is one piece of a large text file sits in that file. The
// pieces are processed as documents of their own, one after another through the sink, which
// writes them as one: their offsets, article and sentence numbers count from the start of the
// file (Before is added to them), and the documents table has one row for the file, written
// with its last part.
type Part struct {
	Index int   // 0, 1, 2 … in file order
	More  bool  // more parts of the same file follow this one
	Byte  int64 // where the part begins in the file, in bytes

	// Before sums the parts of the same file before this one. The runner sets it on the way to
	// the sink (they arrive there in order); the writers add it to offsets and numbers.
	Before Totals
}

// Totals sums the parts of a file that went before one of them.
type Totals struct {
	Bytes                                int64 // input bytes
	Chars, RawChars                      int   // code points of cleaned and of raw text
	Articles, Sentences, Facts, Entities int
	Elapsed                              time.Duration
	Parts, Failed, Timeouts              int    // parts, parts that failed or ran out of time, those that ran out of time
	Error, Stage                         string // the file's error and stage (see Add)
	retry                                int    // retry(part) of the part Error is from
	// Partial counts the parts processed with some of their pages lost (a part of a PDF),
	// whose errors PagesLost joins.
	Partial   int
	PagesLost string
}

// retry ranks how a part's failure may not happen again: 2 for one that could not be read, 1
// for one that ran out of time, 0 for any other.
func retry(d *Doc) int {
	switch {
	case d.Stage == "read":
		return 2
	case d.Status == StatusTimeout:
		return 1
	}
	return 0
}

// Add adds the document d, one part of a file, to t.
func (t *Totals) Add(d *Doc) {
	t.Bytes += d.Size
	t.Elapsed += d.Elapsed
	t.Parts++
	if d.Status == StatusPartial { // processed, rows and all: only some of its pages were lost
		t.Partial++
		if d.Error != "" {
			t.PagesLost = strings.TrimPrefix(t.PagesLost+"; "+d.Error, "; ")
		}
	} else if d.Status != StatusOK && d.Status != "" {
		t.Failed++
		// The file's failure is the first of its parts', unless a later one may not happen
		// again, which the next run retries the file for: a part that could not be read (always
		// retried) before one that ran out of time (retried under a larger budget).
		if r := retry(d); t.Error == "" || r > t.retry {
			t.Error, t.Stage, t.retry = d.Error, d.Stage, r
		}
		if d.Status == StatusTimeout {
			t.Timeouts++
		}
	}
	t.Chars += d.Map.Len()
	t.RawChars += d.RawChars
	if d.Failed() {
		return // its rows are not written: nothing of it is counted or numbered
	}
	t.Articles += len(d.Articles)
	t.Sentences += len(d.Sentences)
	t.Facts += len(d.Facts)
	t.Entities += len(d.Entities)
}

// InFile returns i, an offset or a number in a part of a file, counted from the start of the
// file: before, the sum of it over the parts before (one of Part.Before's), added. A negative i
// (no sentence, no article) stays as it is.
func InFile(i, before int) int {
	if i < 0 {
		return i
	}
	return i + before
}

// FileFact returns f, a fact of this part, with its offsets and numbers counted from the start
// of the file (InFile).
func (p Part) FileFact(f Fact) Fact {
	f.Start, f.End = InFile(f.Start, p.Before.Chars), InFile(f.End, p.Before.Chars)
	f.Sentence, f.Article = InFile(f.Sentence, p.Before.Sentences), InFile(f.Article, p.Before.Articles)
	return f
}

// Whole reports whether d is a whole file, not one part of several.
func (d *Doc) Whole() bool { return d.Part.Index == 0 && !d.Part.More }

// File returns what the file d belongs to came to, once d is its last part (or the whole of
// it): the totals of its parts, and its status, stage and error. A file read in parts is
// partial when some of its parts failed or ran out of time (with the stage and error of the
// first that could not be read, else of the first that ran out of time, else of the first),
// failed when all failed, timeout when all ran out of time. One whose parts were all processed
// but some with pages lost (a PDF) is partial with no stage and their errors, as the same PDF
// read whole would be.
func (d *Doc) File() (t Totals, status, stage, err string) {
	t = d.Part.Before
	t.Add(d)
	status, stage, err = d.Status, d.Stage, d.Error
	if status == "" {
		status = StatusOK
	}
	if !d.Whole() && t.Failed == 0 && t.Partial > 0 {
		status, stage, err = StatusPartial, "", t.PagesLost
	}
	if !d.Whole() && t.Failed > 0 {
		status, stage, err = StatusPartial, t.Stage, t.Error
		switch {
		case t.Timeouts == t.Parts:
			status = StatusTimeout
		case t.Failed == t.Parts:
			status = StatusFailed
		}
	}
	return t, status, stage, err
}

// Fail records a problem that stops this document's processing; the run goes on.
func (d *Doc) Fail(stage string, err error) {
	d.Status = StatusFailed
	d.Stage = stage
	d.Error = err.Error()
}

// Failed reports whether an earlier stage has failed the document.
func (d *Doc) Failed() bool { return d.Status == StatusFailed }

// Watch makes d abandonable: the runner calls it before handing d to a goroutine it may give
// up on, so that Abandon and Abandoned never race.
func (d *Doc) Watch() { d.ctx, d.cancel = context.WithCancel(context.Background()) }

// Abandon tells the stages still working on d that nobody waits for it any more (it ran past
// its time budget): they stop at the next sentence, or page of a PDF (Context). What reading
// its bytes took from a budget is given back at once: the next large file must not wait for a
// stage that is slow to notice.
func (d *Doc) Abandon() {
	if d.cancel != nil {
		d.cancel()
	}
	if d.held != nil {
		d.held()
	}
}

// Context is cancelled when the runner abandons d (Watch, Abandon); a stage that takes long
// without going through sentences (reading a PDF) passes it on.
func (d *Doc) Context() context.Context {
	if d.ctx == nil {
		return context.Background()
	}
	return d.ctx
}

// Abandoned reports whether the runner gave up on d; long stages check it between sentences.
func (d *Doc) Abandoned() bool { return d.ctx != nil && d.ctx.Err() != nil }

// Hold records release as what gives back the share of a budget that reading d.Bytes took
// (source.Read takes one for a large file). Set before d is handed on; release must do its
// work once however often it is called (DropBytes, Abandon, a cleanup may all call it).
func (d *Doc) Hold(release func()) { d.held = release }

// DropBytes releases d.Bytes (or closes d.OnDisk), and gives back what reading them took
// (Hold): the runner's stages call it once d is processed, Decode once it is decoded, the
// runner for a document it drops unprocessed, and whoever else drops a document without
// decoding it.
func (d *Doc) DropBytes() {
	if d.OnDisk != nil {
		d.OnDisk.File.Close()
	}
	d.Bytes, d.OnDisk = nil, nil
	if d.held != nil {
		d.held()
	}
}

// FileRef is an input left on disk (Doc.OnDisk): the file, open since it was hashed (so that
// a file renamed over it, or a temporary copy removed, changes nothing), and its size,
// modification time and SHA-256 then, so that decoding can tell it was written since.
type FileRef struct {
	File    *os.File
	Size    int64
	ModTime time.Time
	Sum     [32]byte
}

// PageInfo says how one PDF page's text was obtained and how plausible it is.
type PageInfo struct {
	Number   int
	Path     string // text-layer, cmap:GBK-EUC-H, cid:Adobe-CNS1, gbk-in-latin, pdftotext, ocr, none
	Quality  float64
	NeedsOCR bool
	Err      string
}

// PageAt returns the 1-based PDF page of a raw code-point offset, or 0 for a text input. It
// is asked for every fact and article: a search, since PageStarts ascends (a scan made a PDF
// of 9,500 pages quadratic).
func (d *Doc) PageAt(raw int) int {
	i := sort.SearchInts(d.PageStarts, raw+1) // the pages that start at raw or before it
	if i > 0 && i <= len(d.PageInfo) {
		return d.PageInfo[i-1].Number // a part of a PDF holds pages from further in
	}
	return i
}

// Edit is one change made by a cleaning operation: the raw span [RawStart, RawEnd) in code
// points, what it held and what replaced it.
type Edit struct {
	Op       string `json:"op"`
	RawStart int    `json:"raw_start"`
	RawEnd   int    `json:"raw_end"`
	Old      string `json:"old"`
	New      string `json:"new"`
}

// OffsetMap maps each code point of the cleaned text back to the raw text: code point i of
// Text came from the raw code points [start, end) that At(i) returns (a replacement covers
// the whole span it replaced).
//
// It is held as runs of code points that each come from the one raw code point after the
// previous one's, so that it takes a few bytes an edit instead of 8 bytes a code point (35 MB
// for a month of the People's Daily in one file).
type OffsetMap struct {
	n    int      // code points of the cleaned text
	runs []mapRun // by at
}

// mapRun is the code points from at to the next run's at: code point at+k came from raw code
// point start+k alone, except the last, which came from [start+k, end).
type mapRun struct{ at, start, end int32 }

// NewOffsetMap returns the map in which code point i came from raw [start[i], end[i]), or
// from raw code point start[i] alone when end is nil.
func NewOffsetMap(start, end []int32) OffsetMap {
	endOf := func(i int) int32 {
		if end == nil {
			return start[i] + 1
		}
		return end[i]
	}
	m := OffsetMap{n: len(start)}
	for i := range start {
		if i > 0 && start[i] == start[i-1]+1 && endOf(i-1) == start[i-1]+1 {
			continue // the run goes on
		}
		if i > 0 {
			m.runs[len(m.runs)-1].end = endOf(i - 1)
		}
		m.runs = append(m.runs, mapRun{at: int32(i), start: start[i]})
	}
	if m.n > 0 {
		m.runs[len(m.runs)-1].end = endOf(m.n - 1)
	}
	return m
}

// IdentityMap is the map of a text that cleaning left as it was: code point i came from raw
// code point i.
func IdentityMap(n int) OffsetMap {
	if n == 0 {
		return OffsetMap{}
	}
	return OffsetMap{n: n, runs: []mapRun{{at: 0, start: 0, end: int32(n)}}}
}

// Len is the number of code points of the cleaned text.
func (m OffsetMap) Len() int { return m.n }

// At returns the raw span [start, end) code point i of the cleaned text came from;
// 0 <= i < Len().
func (m OffsetMap) At(i int) (start, end int) {
	k := sort.Search(len(m.runs), func(k int) bool { return int(m.runs[k].at) > i }) - 1
	r := m.runs[k]
	start = int(r.start) + i - int(r.at)
	last := m.n - 1
	if k+1 < len(m.runs) {
		last = int(m.runs[k+1].at) - 1
	}
	if i == last {
		return start, int(r.end)
	}
	return start, start + 1
}

// Raw returns the raw span [rs, re) of the cleaned span [s, e). An empty or out-of-range span
// maps to the nearest raw position.
func (m OffsetMap) Raw(s, e int) (rs, re int) {
	n := m.n
	if n == 0 {
		return s, e
	}
	if s >= n {
		_, last := m.At(n - 1)
		return last, last
	}
	if s < 0 {
		s = 0
	}
	if e > n {
		e = n
	}
	rs, _ = m.At(s)
	if e <= s {
		return rs, rs
	}
	_, re = m.At(e - 1)
	return rs, re
}

// CleanAt returns the first code point of the cleaned text that came from raw code point raw
// or a later one (Len() when none did).
func (m OffsetMap) CleanAt(raw int) int {
	return sort.Search(m.n, func(i int) bool { s, _ := m.At(i); return s >= raw })
}

// Article is one article found on a page.
type Article struct {
	Index       int      `json:"index"`      // 0-based, in page order
	Page        int      `json:"page"`       // the PDF page the article starts on (0 for text inputs: see Doc.Page)
	Start       int      `json:"start"`      // code point span of the whole article in Text
	End         int      `json:"end"`        // code point span of the whole article in Text
	BodyStart   int      `json:"body_start"` // where the body begins (after headline and byline)
	Headline    string   `json:"headline"`
	Byline      string   `json:"byline"`
	Dateline    string   `json:"dateline"` // 本报北京1月5日电 …, when present
	RefDate     string   `json:"ref_date"` // the date relative dates resolve against (dateline, else publication date)
	Reporters   []string `json:"reporters"`
	ContinuesOn string   `json:"continues_on"` // 下转第三版 → "第三版"
}

// Sentence is one sentence of Text, with its tokens.
type Sentence struct {
	Index      int
	Article    int
	Start, End int // code points in Text
	Tokens     []Token
}

// Token is one word from segmentation, with its part of speech (gse's tag set).
//
// It holds no pointers: where the word lies in the document's text (in code points and in
// bytes) and its part of speech as a number (Tag). Segmentation makes a token for every two
// characters or so; as 20 bytes the garbage collector never scans, they take less than half
// the memory of tokens holding their word and tag as strings (48 bytes, two pointers: 53 MB
// for the 278 pages BenchmarkTokens segments, now 22 MB), and no GC work.
// Word and Pos give the word and the tag as strings.
type Token struct {
	Start, End int32 // code points in Doc.Text
	From, To   int32 // bytes in Doc.Text: the word is Doc.Text[From:To]
	Tag        Tag   // the part of speech
}

// Word returns the token's word; text is the text the token was cut from (Doc.Text).
func (t Token) Word(text string) string { return text[t.From:t.To] }

// Pos returns the token's part of speech as gse writes it: n, nr, ns, v, x …
func (t Token) Pos() string { return t.Tag.String() }

// Fact is one figure or date, with the fields of the JSON Lines contract in design.md.
type Fact struct {
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
	Sentence  int      `json:"sentence"`
	Article   int      `json:"article"`
	Rule      string   `json:"rule"`
}

// Fields returns the fact's output fields by their contract names (design.md), the fields
// that are set only, for comparing with a rule example's want.
func (f Fact) Fields() map[string]any {
	m := map[string]any{"kind": f.Kind, "text": f.Text}
	if f.Value != nil {
		m["value"] = *f.Value
	}
	if f.ValueMax != nil {
		m["value_max"] = *f.ValueMax
	}
	for k, v := range map[string]string{"unit": f.Unit, "qualifier": f.Qualifier, "date": f.Date, "date_end": f.DateEnd, "metric": f.Metric} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// Entity is one mention of a person, organisation or place.
type Entity struct {
	Kind       string `json:"kind"` // person, organization, location
	Text       string `json:"text"`
	Normalized string `json:"normalized"`
	Role       string `json:"role,omitempty"` // reporter, correspondent, photographer
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Sentence   int    `json:"sentence"`
	Article    int    `json:"article"`
	Rule       string `json:"rule"`
}
