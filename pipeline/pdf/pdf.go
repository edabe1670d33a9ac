package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	lpdf "github.com/ledongthuc/pdf"
)

// Paths that can produce a page's text (Page.Path). "cmap:NAME" (a predefined CJK CMap such as
// cmap:GBK-EUC-H) and "cid:Adobe-ORDERING" (a CID font without ToUnicode, decoded through
// poppler-data's table) name the decoder that produced most of the page's glyphs.
const (
	PathTextLayer  = "text-layer"   // ToUnicode maps and standard single-byte encodings
	PathGBKInLatin = "gbk-in-latin" // GBK bytes shown through a WinAnsi (Latin) font
	PathB5InLatin  = "big5-in-latin"
	PathPdftotext  = "pdftotext"
	PathOCR        = "ocr"
	PathNone       = "none"
)

// Page is the text of one page.
type Page struct {
	Number    int     // 1-based
	Text      string  // the page's text in reading order, lines joined inside paragraphs, headers/footers/page numbers removed
	Path      string  // which path produced it: "text-layer", "cmap:GBK-EUC-H", "cid:Adobe-CNS1", "gbk-in-latin", "pdftotext", "ocr", "none"
	Quality   float64 // 0..1 plausibility of the text (replacement chars, controls, Latin-1 mojibake, implausible mix, too little text)
	NeedsOCR  bool
	Headlines []string // lines set in a larger font (to feed article splitting)
	Err       string   // what went wrong on this page, if anything (a recovered panic, etc.)

	// Removed holds the running headers, footers and page numbers taken out of Text, one per
	// line, so that nothing disappears without a trace.
	Removed []string
	// Glyphs is the number of glyphs the text layer drew; Images the number of images.
	Glyphs, Images int
	// Unmapped names each font of the text layer that drew glyphs no map turns into Unicode,
	// how many, and why ("WenQuanYiZenHei (embedded, Identity-H, no ToUnicode, CIDs of the
	// font's own order): 6 glyphs without Unicode"); they are U+FFFD in the text layer. A
	// page can be good with a few of them (a symbol, a logo); a headline lost so shows here.
	Unmapped []string
}

// Result is a whole document. Partial is set when a page has an error or needs OCR; Err when the
// document could not be read at all (then Pages is empty) or the context was cancelled.
type Result struct {
	Pages   []Page
	Partial bool
	Err     error
}

// Options says which optional programs and data Read may use. The zero value uses none: the
// text layer only, without poppler-data's tables.
type Options struct {
	Pdftotext string // path of poppler-utils' pdftotext, "" when absent
	Tesseract string // path of tesseract, "" when absent
	// CMapDir is poppler-data's directory holding cMap/ and cidToUnicode/ (Debian:
	// /usr/share/poppler). "" searches the usual places; a directory without them means none.
	CMapDir string

	Pdftoppm  string        // path of poppler-utils' pdftoppm (renders a page for OCR); "" looks beside Pdftotext
	TessLangs string        // tesseract languages, "chi_sim" by default when Tesseract is set
	OCRDPI    int           // rendering resolution for OCR, 300 by default
	PageTime  time.Duration // time budget of one page's own interpretation, 20s by default
	ToolTime  time.Duration // time budget of one external program run, 120s by default
}

// Errors a Result's Err wraps, for errors.Is.
var (
	ErrNotPDF    = errors.New("not a PDF file")
	ErrEncrypted = errors.New("encrypted PDF (needs a password)")
	ErrDamaged   = errors.New("truncated or damaged PDF")
	ErrNoPages   = errors.New("PDF has no pages")
)

// Read reads a whole PDF; name is used in error messages ("file.pdf:3: ..."). It never panics:
// every page is a recover boundary, one bad page never loses the document. Encrypted, truncated
// and zero-page PDFs give Err (naming the file and the problem) and no pages. (A file encrypted
// with an empty user password, which only restricts permissions, is read like any other.) It is
// safe to call from several goroutines at once.
func Read(ctx context.Context, name string, data []byte, opt Options) Result {
	return readFile(ctx, name, memFile(data), opt)
}

// ReadAt is Read for a PDF of size bytes read through r, an open file for instance: only what
// the pages need is read, a piece at a time, so that a large PDF is not held in memory while
// it is read. An error reading r fails the document, or the page being read.
func ReadAt(ctx context.Context, name string, r io.ReaderAt, size int64, opt Options) Result {
	return readFile(ctx, name, &file{r: r, n: size}, opt)
}

func readFile(ctx context.Context, name string, src *file, opt Options) Result {
	f, err := openFile(name, src, opt)
	if err != nil {
		return Result{Err: err}
	}
	defer f.Close()
	return f.ReadPages(ctx, 1, f.NumPages())
}

// File is an open PDF whose pages are read a range at a time (ReadPages): a PDF of thousands
// of pages, a few hundred at a time, in as little memory as they need.
type File struct {
	d    *document
	refs []pageRef
}

// Open checks a PDF of size bytes read through r and finds its pages; its error is Read's for
// a file that cannot be read at all. Close it when done.
func Open(name string, r io.ReaderAt, size int64, opt Options) (*File, error) {
	return openFile(name, &file{r: r, n: size}, opt)
}

func openFile(name string, src *file, opt Options) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%s: %w: %v", name, ErrDamaged, r)
		}
	}()
	d, err := open(name, src, opt.withDefaults())
	if err != nil {
		return nil, err
	}
	refs, err := d.pageRefs()
	if err != nil {
		d.close()
		return nil, err
	}
	return &File{d: d, refs: refs}, nil
}

// NumPages is the number of pages of the file.
func (f *File) NumPages() int { return len(f.refs) }

// ReadPages reads pages first to last (1-based, both included), as Read reads a whole file,
// numbered as in the file. Their running headers and footers are the lines repeated across
// them. It must not be called from two goroutines at once.
func (f *File) ReadPages(ctx context.Context, first, last int) Result {
	if first < 1 || first > last || last > len(f.refs) {
		return Result{Err: fmt.Errorf("%s: pages %d to %d asked for, of %d", f.d.name, first, last, len(f.refs))}
	}
	return f.d.readPages(ctx, f.refs[first-1:last], first)
}

// Close removes what reading the pages left on disk (a copy for pdftotext).
func (f *File) Close() { f.d.close() }

// readPages reads pages refs, numbered from first on: each page is laid out, the running
// headers and footers found across them are removed, and each is finished (its text chosen
// among the text layer, pdftotext and OCR).
func (d *document) readPages(ctx context.Context, refs []pageRef, first int) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{Err: fmt.Errorf("%s: %w: %v", d.name, ErrDamaged, r)}
		}
	}()
	res.Pages = make([]Page, len(refs))
	layouts := make([]*pageLayout, len(refs))
	for i, ref := range refs {
		res.Pages[i].Number, res.Pages[i].Path = first+i, PathNone
		if err := ctx.Err(); err != nil {
			res.Pages[i].Err = "not read: " + err.Error()
			continue
		}
		layouts[i] = d.layoutPage(ctx, first+i, ref, &res.Pages[i])
	}
	_ = guard(func() { removeRunning(layouts) }) // on a panic, nothing is removed
	for i := range res.Pages {
		if ctx.Err() != nil {
			break
		}
		p := &res.Pages[i]
		err := guard(func() { d.finish(ctx, p, layouts[i]) })
		layouts[i] = nil // its text is in p: what a page's lines take is free once it is finished
		if err != nil {
			p.Text, p.Path, p.Headlines = "", PathNone, nil
			msg := fmt.Sprintf("%s:%d: %v", d.name, p.Number, err)
			if p.Err != "" {
				msg = p.Err + "; " + msg
			}
			p.Err = msg
		}
	}
	for _, p := range res.Pages {
		// a page that failed but whose text a program gave in full is complete
		rescued := p.Path == PathPdftotext || p.Path == PathOCR
		if p.NeedsOCR || p.Err != "" && !rescued {
			res.Partial = true
		}
	}
	if err := ctx.Err(); err != nil {
		res.Err = fmt.Errorf("%s: %w", d.name, err)
		res.Partial = true
	}
	return res
}

// Tools finds pdftotext, pdftoppm and tesseract on PATH and poppler-data on disk.
func Tools() Options {
	return findTools()
}

func (o Options) withDefaults() Options {
	if o.OCRDPI <= 0 {
		o.OCRDPI = 300
	}
	if o.PageTime <= 0 {
		o.PageTime = 20 * time.Second
	}
	if o.ToolTime <= 0 {
		o.ToolTime = 120 * time.Second
	}
	if o.Tesseract != "" && o.TessLangs == "" {
		o.TessLangs = "chi_sim"
	}
	if o.Tesseract != "" && o.Pdftoppm == "" && o.Pdftotext != "" {
		// poppler-utils installs both side by side
		if p := filepath.Join(filepath.Dir(o.Pdftotext), "pdftoppm"); isExecutable(p) {
			o.Pdftoppm = p
		}
	}
	o.CMapDir = cmapDir(o.CMapDir)
	return o
}

// document is one open PDF.
type document struct {
	name  string
	f     *file // the file as read, before a damaged trailer is mended
	opt   Options
	br    *budgetReader
	r     *lpdf.Reader
	fonts map[fontKey]*font
	cmaps cmaps     // the fonts' ToUnicode and encoding CMaps, read once each, within a budget
	tmp   *tempFile // the bytes on disk for pdftotext and pdftoppm, written on first use
}

// open checks the header and trailer, then hands the file to ledongthuc/pdf.
func open(name string, f *file, opt Options) (*document, error) {
	if err := f.normalize(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := prescan(f); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrDamaged, err)
	}
	br := newBudgetReader(f)
	br.arm(f.size()*64+64<<20, max(opt.PageTime, openTime))
	lr, err := lpdf.NewReader(br, br.size())
	if err != nil {
		msg := err.Error()
		switch {
		case errors.Is(err, lpdf.ErrInvalidPassword) || strings.Contains(msg, "encrypt"):
			return nil, fmt.Errorf("%s: %w (%v)", name, ErrEncrypted, err)
		default:
			return nil, fmt.Errorf("%s: %w: %v", name, ErrDamaged, err)
		}
	}
	if err := checkXref(lr); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrDamaged, err)
	}
	return &document{name: name, f: f, opt: opt, br: br, r: lr, fonts: map[fontKey]*font{}}, nil
}

func (d *document) close() {
	if d.tmp != nil {
		d.tmp.remove()
	}
}

// guard runs f as a recover boundary: a panic becomes an error.
func guard(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError(r)
		}
	}()
	f()
	return nil
}

// panicError turns a recovered value into an error. A runtime error (nil dereference, index
// out of range) is a bug: it says in which function, ours or the library's.
func panicError(r any) error {
	switch e := r.(type) {
	case budgetError:
		return e
	case error:
		if isRuntime(e) {
			return fmt.Errorf("internal error in %s: %v", panicSite(), e)
		}
		return e
	default:
		return fmt.Errorf("%v", r)
	}
}

// panicSite is the function that panicked, as module/package.function.
func panicSite() string {
	lines := strings.Split(string(debug.Stack()), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "panic(") {
			continue
		}
		for _, f := range lines[i+1:] {
			if f == "" || strings.HasPrefix(f, "\t") || strings.HasPrefix(f, "runtime.") || strings.HasPrefix(f, "panic(") {
				continue
			}
			if k := strings.LastIndex(f, "("); k > 0 && strings.HasSuffix(f, ")") {
				f = f[:k]
			}
			parts := strings.Split(f, "/")
			if len(parts) > 2 {
				parts = parts[len(parts)-2:]
			}
			return strings.Join(parts, "/")
		}
	}
	return "unknown"
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}
