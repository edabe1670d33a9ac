package pdf

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// layoutPage interprets one page inside a recover boundary. A page that panics, or spends its
// budget, keeps what it had drawn so far when that is anything; its error is recorded.
func (d *document) layoutPage(ctx context.Context, num int, ref pageRef, p *Page) (pl *pageLayout) {
	if d.cmaps.newPage() {
		clear(d.fonts) // they hold the maps let go
	}
	in := &interp{d: d, ctx: ctx, fonts: map[fontKey]*font{}, glyphs: getGlyphs()}
	// deferred first, so run last: after buildPage, even the recovering one, no glyph is used
	defer func() { putGlyphs(in.glyphs) }()
	defer func() { // after the recovery below: maps not read are said on a page that panicked too
		if note := d.cmaps.pageNote(); note != "" {
			note = fmt.Sprintf("%s:%d: %s", d.name, num, note)
			if p.Err != "" {
				note = p.Err + "; " + note
			}
			p.Err = note
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			p.Err = fmt.Sprintf("%s:%d: %v", d.name, num, panicError(r))
			pl = nil
			if len(in.glyphs) > 0 {
				func() {
					defer func() { _ = recover() }()
					pl = d.buildPage(in, ref)
				}()
			}
		}
	}()
	d.br.arm(d.f.size()*16+256<<20, d.opt.PageTime)
	in.gs = gstate{ctm: identity, th: 1}
	in.tm, in.tlm = identity, identity
	in.run(ref.v.Key("Contents"), ref.res, "content stream")
	return d.buildPage(in, ref)
}

// glyphPool keeps the glyph buffers of pages read: growing a page's buffer from nothing cost
// more than the rest of collecting its glyphs.
var glyphPool sync.Pool

func getGlyphs() []glyph {
	if b, ok := glyphPool.Get().(*[]glyph); ok {
		return (*b)[:0]
	}
	return make([]glyph, 0, 4096)
}

func putGlyphs(b []glyph) {
	if cap(b) > 1<<17 {
		return // a giant page's buffer is not kept
	}
	clear(b) // drop the fonts and strings it points to
	b = b[:0]
	glyphPool.Put(&b)
}

func (d *document) buildPage(in *interp, ref pageRef) *pageLayout {
	resolveLatinCJK(in.glyphs)
	pl := buildLayout(in.glyphs, ref.box)
	pl.images, pl.imageArea, pl.paths, pl.truncated = in.images, in.imageArea, in.paths, in.truncated
	return pl
}

var pageNumber = regexp.MustCompile(`^(?:[-–—·•\s]*[0-9０-９]{1,4}[-–—·•\s]*|第\s*[0-9０-９一二三四五六七八九十百零〇]+\s*[版页頁]|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4}|(?i:page)\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?|[-–—]\s*[0-9]{1,4}\s*[-–—])$`)

var digits = regexp.MustCompile(`[0-9０-９]+`)

// removeRunning takes out, across the document, the page numbers and the lines repeated at the
// same edge of several pages (running heads: the paper's name, the date, the section).
func removeRunning(pages []*pageLayout) {
	type seen struct {
		pages map[int]bool
	}
	counts := map[string]*seen{}
	norm := func(l *line) string {
		return fmt.Sprintf("%d|%s", l.edge, digits.ReplaceAllString(strings.ReplaceAll(l.text, " ", ""), "#"))
	}
	n := 0
	for pi, pl := range pages {
		if pl == nil {
			continue
		}
		n++
		for k := range pl.lines {
			l := &pl.lines[k]
			if l.edge == 0 || l.removed {
				continue
			}
			key := norm(l)
			if counts[key] == nil {
				counts[key] = &seen{pages: map[int]bool{}}
			}
			counts[key].pages[pi] = true
		}
	}
	for _, pl := range pages {
		if pl == nil {
			continue
		}
		for k := range pl.lines {
			l := &pl.lines[k]
			if l.edge == 0 || l.removed {
				continue
			}
			if pageNumber.MatchString(strings.TrimSpace(l.text)) {
				l.removed = true
				continue
			}
			if c := counts[norm(l)]; n >= 2 && len(c.pages) >= 2 && float64(len(c.pages)) >= 0.3*float64(n) {
				l.removed = true
			}
		}
	}
}

// para is a paragraph: lines joined.
type para struct {
	text string
	size float64
	head bool
}

// paragraphs joins the kept lines: a line that reaches the right edge of its column goes on
// in the next line when that one is not indented, has the same size and follows closely, or
// starts the next column.
func paragraphs(lines []line) []para {
	var out []para
	var prev *line
	var b strings.Builder
	var cur para
	flush := func() {
		if b.Len() > 0 {
			cur.text = b.String()
			out = append(out, cur)
		}
		b.Reset()
	}
	for k := range lines {
		l := &lines[k]
		if prev != nil && continues(prev, l) {
			a, _ := utf8.DecodeLastRuneInString(prev.text)
			c, _ := utf8.DecodeRuneInString(l.text)
			switch {
			case isCJK(a) || isCJK(c):
			case a == '-' && b.Len() > 1:
				s := b.String()
				b.Reset()
				b.WriteString(s[:len(s)-1])
			default:
				b.WriteByte(' ')
			}
			b.WriteString(l.text)
			prev = l
			continue
		}
		flush()
		cur = para{size: l.size, head: l.head}
		b.WriteString(l.text)
		prev = l
	}
	flush()
	return out
}

func continues(a, b *line) bool {
	if a.group != b.group || a.head != b.head || a.table || b.table {
		return false
	}
	if a.size > 1.15*b.size || b.size > 1.15*a.size {
		return false
	}
	sz := a.size
	if a.head {
		// a headline set over two lines: close below, overlapping
		return a.base-b.base > 0 && a.base-b.base < 2.0*sz && b.x0 < a.x1 && a.x0 < b.x1
	}
	if a.x1 < a.colX1-1.5*sz || b.x0 > b.colX0+0.8*sz {
		return false
	}
	if a.col == b.col || a.colX0 == b.colX0 && a.colX1 == b.colX1 {
		d := a.base - b.base
		return d > 0.5*sz && d < 2.2*sz
	}
	// b starts another column: allowed when it is one to the right, or the top of a new block
	return b.colX0 >= a.colX1-sz || b.base > a.base
}

// finish forms the page's text from its layout, judges it, and falls back when it is poor:
// pdftotext for a text layer we cannot decode, OCR for a page without usable text. A page that
// has content (glyphs, images, drawings) and ends without usable text needs OCR.
func (d *document) finish(ctx context.Context, p *Page, pl *pageLayout) {
	tl := candidate{path: PathNone}
	if pl != nil {
		tl = d.textLayer(p, pl)
	}
	best := tl
	var notes []string
	hasText := pl != nil && pl.glyphs > 0
	hasContent := pl == nil || hasText || pl.images > 0 || pl.paths > 200
	if tl.j.q < good && hasContent {
		if hasText {
			notes = append(notes, fmt.Sprintf("text layer (%s) unusable: %s", tl.path, tl.j.why()))
		}
		if hasText || pl == nil {
			switch c, err := d.pdftotext(ctx, p.Number); {
			case d.opt.Pdftotext == "":
				notes = append(notes, "pdftotext not installed")
			case err != nil:
				notes = append(notes, "pdftotext: "+err.Error())
			case c.j.q > best.j.q:
				best = c
			case c.j.n > 0:
				notes = append(notes, "pdftotext no better: "+c.j.why())
			}
		}
		if best.j.q < good {
			switch c, err := d.ocr(ctx, p.Number); {
			case d.opt.Tesseract == "":
				notes = append(notes, "tesseract not installed")
			case d.opt.Pdftoppm == "":
				notes = append(notes, "pdftoppm (poppler-utils) not installed, needed to render the page for OCR")
			case err != nil:
				notes = append(notes, "ocr: "+err.Error())
			case c.j.q > best.j.q || best.j.q < usable && c.j.q >= usable:
				best = c
			default:
				notes = append(notes, "ocr no better: "+c.j.why())
			}
		}
		p.NeedsOCR = best.j.q < good && !(best.path == PathOCR && best.j.q >= usable)
	}
	if best.j.q < usable && best.j.n > 0 {
		notes = append(notes, fmt.Sprintf("text withheld (quality %.2f)", best.j.q))
		best = candidate{path: PathNone, j: best.j}
	}
	if best.j.n == 0 {
		best.path = PathNone
	}
	if best.path != tl.path {
		// the text layer's running heads were read from text we did not use
		p.Removed = nil
		best.text, p.Removed = trimPageNumbers(best.text)
	}
	p.Text, p.Path, p.Quality, p.Headlines = best.text, best.path, round2(best.j.q), best.heads
	if !p.NeedsOCR && hasText && best.path != tl.path && len(notes) > 0 {
		// rescued by a program: the page is whole, but say why its own text was not used
		msg := fmt.Sprintf("%s:%d: %s; text from %s", d.name, p.Number, strings.Join(notes, "; "), best.path)
		if p.Err != "" {
			msg = p.Err + "; " + msg
		}
		p.Err = msg
	}
	if p.NeedsOCR {
		msg := fmt.Sprintf("%s:%d: %s; needs OCR", d.name, p.Number, strings.Join(notes, "; "))
		if len(notes) == 0 {
			msg = fmt.Sprintf("%s:%d: no usable text (%s); needs OCR", d.name, p.Number, best.j.why())
		}
		if p.Err != "" {
			p.Err += "; " + msg
		} else {
			p.Err = msg
		}
	}
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// candidate is one way of reading a page.
type candidate struct {
	text  string
	path  string
	heads []string
	j     judgement
}

// textLayer assembles the page's own text: paragraphs, a blank line before each headline (an
// article starts there), headlines listed.
func (d *document) textLayer(p *Page, pl *pageLayout) candidate {
	p.Glyphs, p.Images = pl.glyphs, pl.images
	p.Unmapped = pl.unmapped
	if pl.truncated && p.Err == "" {
		p.Err = fmt.Sprintf("%s:%d: more than %d glyphs: the rest of the page is not read", d.name, p.Number, maxGlyphs)
	}
	var kept []line
	sizes := map[float64]int{}
	for i := range pl.lines {
		l := &pl.lines[i]
		if l.removed {
			p.Removed = append(p.Removed, l.text)
			continue
		}
		kept = append(kept, *l)
		if !l.table { // a table row's size is the average of its cells': no measure of the body
			sizes[float64(int(l.size*2))/2] += utf8.RuneCountInString(l.text)
		}
	}
	if len(sizes) == 0 { // a page of tables
		for _, l := range kept {
			sizes[float64(int(l.size*2))/2] += utf8.RuneCountInString(l.text)
		}
	}
	body := bodySize(sizes)
	for i := range kept {
		l := &kept[i]
		n := utf8.RuneCountInString(l.text)
		// a table's title may sit in its region: a row of one cell
		l.head = body > 0 && l.size >= 1.25*body && n <= 60 && l.group == 0 && (!l.table || l.cells == 1)
	}
	ps := paragraphs(kept)
	var b strings.Builder
	var heads []string
	for i, pa := range ps {
		if i > 0 {
			b.WriteByte('\n')
			if pa.head && !ps[i-1].head {
				b.WriteByte('\n')
			}
		}
		b.WriteString(pa.text)
		if pa.head {
			heads = append(heads, pa.text)
		}
	}
	text := b.String()
	path := PathNone
	best := 0
	var keys []string
	for k := range pl.srcs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if pl.srcs[k] > best {
			path, best = k, pl.srcs[k]
		}
	}
	sparse := pl.imageArea > 0.5*pl.box.w()*pl.box.h()
	return candidate{text: text, path: path, heads: heads, j: judge(text, sparse)}
}

// bodySize is the size most characters are set in.
func bodySize(sizes map[float64]int) float64 {
	best, n := 0.0, 0
	for s, c := range sizes {
		if c > n || c == n && s < best {
			best, n = s, c
		}
	}
	return best
}

// trimPageNumbers takes page numbers off the first and last lines of a program's text.
func trimPageNumbers(text string) (string, []string) {
	lines := strings.Split(text, "\n")
	var removed []string
	for len(lines) > 0 && pageNumber.MatchString(strings.TrimSpace(lines[0])) {
		removed = append(removed, lines[0])
		lines = lines[1:]
	}
	for len(lines) > 0 && pageNumber.MatchString(strings.TrimSpace(lines[len(lines)-1])) {
		removed = append(removed, lines[len(lines)-1])
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n"), removed
}
