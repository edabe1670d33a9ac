package pdf

import (
	"context"
	"fmt"
	"io"
	"math"
	"sync"

	lpdf "github.com/ledongthuc/pdf"
)

// glyph is one shown code, positioned in user space.
type glyph struct {
	x, y   float64 // origin
	dx, dy float64 // unit vector of the reading direction
	adv    float64 // advance along the reading direction
	size   float64 // font size in user space
	font   *font
	code   string
	text   string
	show   int32 // which show operation drew it (GBK pairs never cross two)
	src    uint8
	flags  uint8
}

const (
	gInvisible uint8 = 1 << iota
	gArtifact        // inside a pagination or watermark artifact: not page text
	gVertical
)

// matrix is a PDF transformation [a b c d e f], row-vector convention.
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

type gstate struct {
	ctm                        matrix
	font                       *font
	tfs, tc, tw, th, tl, trise float64
	tr                         int
}

const (
	maxGlyphs    = 400000
	maxFormDepth = 12
	maxGStack    = 512
)

// interp runs a page's content stream and collects its glyphs.
type interp struct {
	d         *document
	ctx       context.Context // the document's: cancelled, the page stops
	decoded   int             // bytes of content decoded for the page so far (maxPageContent)
	glyphs    []glyph
	images    int
	imageArea float64
	paths     int
	ops       int
	shows     int32
	forms     []uint64
	truncated bool

	gs     gstate
	stack  []gstate
	tm     matrix
	tlm    matrix
	marked []bool // marked-content stack: does this level hide its text?
	hidden int    // how many levels hide
	fonts  map[fontKey]*font
}

// maxPageContent is the most decoded bytes of content one page may have: its content streams
// and every form it draws, each time it draws it. The largest page of the corpus and testdata
// has 200 KB; a page of a few MB of vector drawing is rare. A stream of spaces compresses
// 1000:1, so without this a 300 KB file held gigabytes (a form may draw a form, 12 deep).
const maxPageContent = 32 << 20

// checkEvery is how many decoded bytes may pass between two checks of the page's time budget
// and of its document's context (cancelled when the run gives up on the document).
const checkEvery = 1 << 20

// contentPool keeps the buffers content is decoded into: the tokens copy what they keep.
var contentPool sync.Pool

// readContent appends the decoded bytes of stream v to b and returns b; what drew it is named
// in the error. It counts them against the page's budget and panics with a budgetError when
// they pass it, or when the page's time is spent or its context cancelled. b never grows past
// what the budget allows.
func (in *interp) readContent(b []byte, v lpdf.Value, what string) []byte {
	if v.Kind() != lpdf.Stream {
		return b
	}
	rc := v.Reader()
	defer rc.Close()
	sinceCheck := 0
	for {
		var n int
		var err error
		if room := maxPageContent - in.decoded; room == 0 {
			// the budget is spent: one more byte makes the page too large, EOF does not
			var one [1]byte
			n, err = io.ReadFull(rc, one[:])
		} else {
			if len(b) == cap(b) { // doubling, but never past the budget
				nb := make([]byte, len(b), len(b)+min(max(cap(b), 4<<10), room))
				copy(nb, b)
				b = nb // the smaller one is not pooled: the pool keeps buffers pages grew to
			}
			n, err = rc.Read(b[len(b):min(cap(b), len(b)+room)])
			b = b[:len(b)+n]
		}
		in.decoded += n
		if in.decoded > maxPageContent {
			panic(budgetError{fmt.Sprintf("%s: more than %d MiB of decoded content on the page (its streams and forms together): a compression bomb?", what, maxPageContent>>20)})
		}
		if sinceCheck += n; sinceCheck >= checkEvery {
			sinceCheck = 0
			in.d.br.check()
			if err := in.ctx.Err(); err != nil {
				panic(budgetError{fmt.Sprintf("%s: stopped after %d MiB of decoded content: %v", what, in.decoded>>20, err)})
			}
		}
		if err != nil {
			return b // io.EOF, or a damaged stream: what was decoded is read, as before
		}
	}
}

// check panics with a budgetError when the page's time is spent or its document abandoned.
func (in *interp) check() {
	in.d.br.check()
	if in.ctx.Err() != nil {
		panic(budgetError{"stopped: " + in.ctx.Err().Error()})
	}
}

func (in *interp) getContent() []byte {
	if b, ok := contentPool.Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return nil
}

func (in *interp) putContent(b []byte) {
	if cap(b) == 0 || cap(b) > 4<<20 {
		return // a large page's buffer is not kept
	}
	b = b[:0]
	contentPool.Put(&b)
}

// run interprets a content stream (or an array of them, read as one) with its resources;
// what names it in errors.
func (in *interp) run(strm lpdf.Value, res lpdf.Value, what string) {
	if strm.Kind() != lpdf.Stream && strm.Kind() != lpdf.Array {
		return
	}
	buf := in.getContent()
	defer func() { in.putContent(buf) }()
	if strm.Kind() == lpdf.Stream {
		buf = in.readContent(buf, strm, what)
	} else {
		for i := 0; i < strm.Len(); i++ {
			buf = in.readContent(buf, strm.Index(i), fmt.Sprintf("%s %d", what, i+1))
			buf = append(buf, '\n')
		}
	}
	data := buf
	scope := map[string]*font{} // Tf names of this resource dictionary, resolved once
	lx := lexer{b: data}
	var args []operand
	for {
		o, op, ok := lx.next(0)
		if !ok {
			return
		}
		if op == "" {
			if len(args) < maxOperands {
				args = append(args, o)
			}
			continue
		}
		if op == "BI" {
			lx.skipInlineImage()
			in.image(in.gs.ctm)
		} else {
			in.op(op, args, res, scope, what)
		}
		args = args[:0]
		lx.arena, lx.entries = lx.arena[:0], lx.entries[:0]
	}
}

func num(args []operand, i int) float64 {
	if i < 0 || i >= len(args) {
		return 0
	}
	f := args[i].Float64()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func matrixOf(args []operand) matrix {
	if len(args) < 6 {
		return identity
	}
	off := len(args) - 6
	var m matrix
	for i := range m {
		m[i] = num(args, off+i)
	}
	return m
}

func (in *interp) op(op string, args []operand, res lpdf.Value, scope map[string]*font, what string) {
	if in.ops++; in.ops&511 == 0 {
		in.check()
	}
	g := &in.gs
	switch op {
	case "q":
		if len(in.stack) < maxGStack {
			in.stack = append(in.stack, *g)
		}
	case "Q":
		if n := len(in.stack); n > 0 {
			*g = in.stack[n-1]
			in.stack = in.stack[:n-1]
		}
	case "cm":
		g.ctm = matrixOf(args).mul(g.ctm)
	case "BT":
		in.tm, in.tlm = identity, identity
	case "Tc":
		g.tc = num(args, 0)
	case "Tw":
		g.tw = num(args, 0)
	case "Tz":
		g.th = num(args, 0) / 100
	case "TL":
		g.tl = num(args, 0)
	case "Ts":
		g.trise = num(args, 0)
	case "Tr":
		g.tr = int(num(args, 0))
	case "Tf":
		if len(args) >= 2 {
			name := args[0].Name()
			f, ok := scope[name]
			if !ok {
				f = in.font(res, name)
				scope[name] = f
			}
			g.font, g.tfs = f, num(args, 1)
		}
	case "Td":
		in.td(num(args, 0), num(args, 1))
	case "TD":
		g.tl = -num(args, 1)
		in.td(num(args, 0), num(args, 1))
	case "Tm":
		in.tm = matrixOf(args)
		in.tlm = in.tm
	case "T*":
		in.td(0, -g.tl)
	case "Tj":
		if len(args) >= 1 {
			in.showText(args[len(args)-1].s)
		}
	case "'":
		in.td(0, -g.tl)
		if len(args) >= 1 {
			in.showText(args[len(args)-1].s)
		}
	case "\"":
		if len(args) >= 3 {
			g.tw, g.tc = num(args, 0), num(args, 1)
		}
		in.td(0, -g.tl)
		if len(args) >= 1 {
			in.showText(args[len(args)-1].s)
		}
	case "TJ":
		if len(args) < 1 {
			return
		}
		for _, x := range args[len(args)-1].arr {
			if x.kind == 's' {
				in.showText(x.s)
				continue
			}
			adj := x.Float64() / 1000 * g.tfs
			if g.font != nil && g.font.vertical {
				in.tm = matrix{1, 0, 0, 1, 0, -adj}.mul(in.tm)
			} else {
				in.tm = matrix{1, 0, 0, 1, -adj * g.th, 0}.mul(in.tm)
			}
		}
	case "BDC", "BMC":
		hide := false
		if len(args) >= 1 && args[0].Name() == "Artifact" && op == "BDC" && len(args) >= 2 {
			var t, s string
			if props := args[1]; props.kind == '/' {
				p := res.Key("Properties").Key(props.s)
				t, s = p.Key("Type").Name(), p.Key("Subtype").Name()
			} else {
				t, s = props.Key("Type").Name(), props.Key("Subtype").Name()
			}
			hide = t == "Pagination" || s == "Header" || s == "Footer" || s == "Watermark" || s == "PageNum"
		}
		if len(in.marked) < 1024 {
			in.marked = append(in.marked, hide)
			if hide {
				in.hidden++
			}
		}
	case "EMC":
		if n := len(in.marked); n > 0 {
			if in.marked[n-1] {
				in.hidden--
			}
			in.marked = in.marked[:n-1]
		}
	case "Do":
		if len(args) >= 1 {
			in.do(res, args[0].Name(), what)
		}
	case "f", "F", "f*", "B", "B*", "b", "b*", "S", "s":
		in.paths++
	}
}

func (in *interp) td(tx, ty float64) {
	in.tlm = matrix{1, 0, 0, 1, tx, ty}.mul(in.tlm)
	in.tm = in.tlm
}

func (in *interp) image(ctm matrix) {
	in.images++
	in.imageArea += math.Abs(ctm[0]*ctm[3] - ctm[1]*ctm[2])
}

// do draws an XObject: images are counted, forms are run with their own resources.
func (in *interp) do(res lpdf.Value, name, what string) {
	xo := res.Key("XObject").Key(name)
	switch xo.Key("Subtype").Name() {
	case "Image":
		in.image(in.gs.ctm)
	case "Form":
		if len(in.forms) >= maxFormDepth {
			return
		}
		id, ok := objID(xo)
		if ok {
			for _, f := range in.forms {
				if f == id {
					return // a form that draws itself
				}
			}
		}
		in.forms = append(in.forms, id)
		saved, savedTm, savedTlm, savedStack := in.gs, in.tm, in.tlm, len(in.stack)
		if m := xo.Key("Matrix"); m.Len() == 6 {
			var fm matrix
			for i := range fm {
				fm[i] = m.Index(i).Float64()
			}
			in.gs.ctm = fm.mul(in.gs.ctm)
		}
		fres := xo.Key("Resources")
		if fres.Kind() != lpdf.Dict {
			fres = res
		}
		in.run(xo, fres, what+", form /"+name)
		in.gs, in.tm, in.tlm = saved, savedTm, savedTlm
		if len(in.stack) > savedStack {
			in.stack = in.stack[:savedStack]
		}
		in.forms = in.forms[:len(in.forms)-1]
	}
}

// font finds a font resource, loading each font object once per document: an object by its
// number, whatever the names it is given (one font under hundreds of names had its ToUnicode
// map, up to 8 MiB, decoded again for each), and a font written in its resource dictionary by
// its name, or one whose maps the page's budget left unread or cut, once per page.
func (in *interp) font(res lpdf.Value, name string) *font {
	fd := res.Key("Font")
	fv := fd.Key(name)
	if fv.Kind() != lpdf.Dict {
		return brokenFont()
	}
	k, doc := fontKey{name: name}, false
	if id, ok := objID(fv); ok {
		if fid, fok := objID(fd); fok && fid == id {
			// Written in the /Font dictionary, it carries that dictionary's number, as every
			// font written there does: the page's, by the dictionary's number and its name (a
			// form's /F1 is not the page's).
			k = fontKey{id: fid, name: name}
		} else {
			k, doc = fontKey{id: id}, true // an object: the document's, by number
		}
	}
	if f, ok := in.fonts[k]; ok { // the page's, or one of the document's not kept past the page
		return f
	}
	if f, ok := in.d.fonts[k]; ok && doc {
		for _, m := range f.maps {
			in.d.cmaps.use(m) // the page uses them: they are counted in its maps, and kept
		}
		return f
	}
	f := func() (f *font) {
		defer func() {
			if recover() != nil {
				f = brokenFont()
			}
		}()
		return loadFont(fv, in.d.opt.CMapDir, &in.d.cmaps)
	}()
	if doc && !f.pageOnly {
		in.d.fonts[k] = f
	} else {
		in.fonts[k] = f // a font whose map was not read whole is loaded again on the next page
	}
	return f
}

func (in *interp) showText(s string) {
	g := &in.gs
	f := g.font
	if f == nil {
		f = brokenFont()
		g.font = f
	}
	in.shows++
	var flags uint8
	if g.tr == 3 || g.tr == 7 {
		flags |= gInvisible
	}
	if in.hidden > 0 {
		flags |= gArtifact
	}
	if f.vertical {
		flags |= gVertical
	}
	for i := 0; i < len(s); {
		n := f.codeLen(s[i:])
		if n <= 0 {
			n = 1
		}
		code := s[i : i+n]
		i += n
		dec := f.text(code)
		w := f.advance(code, dec.text)
		trm := matrix{g.tfs * g.th, 0, 0, g.tfs, 0, g.trise}.mul(in.tm).mul(g.ctm)
		gl := glyph{x: trm[4], y: trm[5], font: f, code: code, text: dec.text, src: dec.src, show: in.shows, flags: flags}
		space := 0.0
		if n == 1 && code[0] == ' ' {
			space = g.tw
		}
		if f.vertical {
			l := math.Hypot(trm[2], trm[3])
			if l > 0 {
				gl.dx, gl.dy = -trm[2]/l, -trm[3]/l
			}
			gl.size = math.Hypot(trm[0], trm[1])
			if g.th != 0 {
				gl.size /= math.Abs(g.th)
			}
			gl.adv = math.Abs(f.w1y) * l
			ty := f.w1y*g.tfs + g.tc + space
			in.tm = matrix{1, 0, 0, 1, 0, ty}.mul(in.tm)
		} else {
			l := math.Hypot(trm[0], trm[1])
			if l > 0 {
				gl.dx, gl.dy = trm[0]/l, trm[1]/l
			}
			gl.size = math.Hypot(trm[2], trm[3])
			gl.adv = w * l
			tx := (w*g.tfs + g.tc + space) * g.th
			in.tm = matrix{1, 0, 0, 1, tx, 0}.mul(in.tm)
		}
		if len(in.glyphs) < maxGlyphs {
			in.glyphs = append(in.glyphs, gl)
		} else {
			in.truncated = true
		}
	}
}
