package pdf

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	lpdf "github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
)

// Where a glyph's text came from; the page's Path is the source of most of its glyphs.
const (
	srcNone uint8 = iota
	srcToUnicode
	srcEncoding // a simple font's single-byte encoding
	srcPredef   // a predefined CJK CMap, decoded through x/text
	srcCID      // CID → Unicode through poppler-data's table
	srcLatinGBK // GBK bytes inside a Latin font
	srcLatinB5  // Big5 bytes inside a Latin font
)

type fontKey struct {
	id   uint64
	name string
}

// font is what the interpreter needs of a font: how to cut a string into codes, each code's
// advance, and its text.
type font struct {
	base      string
	embedded  bool // the font program is in the file (FontFile, FontFile2, FontFile3)
	composite bool
	type3     bool
	vertical  bool
	tu        *cmap      // ToUnicode, nil when absent or empty
	tuSkipped string     // why the font's ToUnicode was not read, when it was not (cmaps.read)
	maps      []*keptMap // the maps read for it, counted again on each page that uses it
	pageOnly  bool       // a map of it was not read, or read in part, for the page's budget: not kept for the next

	// simple fonts
	enc    [256]string
	width  [256]float64 // text-space units per unit of font size
	symbol bool

	// composite fonts
	ecm        *cmap  // embedded encoding CMap
	ecmSkipped string // why it was not read, when it was not (then the font is read as Identity-H)
	pre        predef // predefined CMap (or the one an embedded CMap uses)
	hasPre     bool
	ordering   string // Adobe-ORDERING, for the Path name
	cids       cidTable
	dw         float64
	w1y        float64 // vertical advance (negative: down)
	cidW       map[uint32]float64
	cidWRng    []wRange // in the file's order; sorted by lo when wSorted
	wSorted    bool     // cidWRng's ranges do not overlap and are sorted (sortRanges)

	cache map[uint64]decoded
}

type wRange struct {
	lo, hi uint32
	w      float64
}

type decoded struct {
	text string
	src  uint8
}

// loadFont reads a font dictionary, its CMaps through the document's cm. It panics on
// malformed input like the library does; the caller recovers and uses brokenFont.
func loadFont(v lpdf.Value, cmapDir string, cm *cmaps) *font {
	f := &font{cache: map[uint64]decoded{}, dw: 1, w1y: -1}
	self, _ := objID(v)
	f.base = v.Key("BaseFont").Name()
	sub := v.Key("Subtype").Name()
	if tu := v.Key("ToUnicode"); tu.Kind() == lpdf.Stream {
		var m *cmap
		if m, f.tuSkipped = f.readMap(cm, tu, self); m != nil && (len(m.uni) > 0 || len(m.uniRng) > 0) {
			f.tu = m
		}
	}
	desc := v.Key("FontDescriptor")
	if sub == "Type0" {
		desc = v.Key("DescendantFonts").Index(0).Key("FontDescriptor")
	}
	for _, k := range []string{"FontFile", "FontFile2", "FontFile3"} {
		f.embedded = f.embedded || desc.Key(k).Kind() == lpdf.Stream
	}
	if sub == "Type0" {
		f.loadComposite(v, cmapDir, cm, self)
		return f
	}
	f.type3 = sub == "Type3"
	f.loadSimple(v)
	return f
}

// readMap reads the CMap in stream v of the font (object self) through cm, noting it in
// f.maps, and f.pageOnly when the page's budget left it unread or cut; nil and why when it
// was not read.
func (f *font) readMap(cm *cmaps, v lpdf.Value, self uint64) (*cmap, string) {
	k, why := cm.read(v, self)
	if k == nil {
		f.pageOnly = true
		return nil, why
	}
	f.maps = append(f.maps, k)
	f.pageOnly = f.pageOnly || k.m.cut
	return k.m, ""
}

// brokenFont stands in for a font that cannot be read: one byte per code, no text.
func brokenFont() *font {
	f := &font{cache: map[uint64]decoded{}, dw: 1, w1y: -1}
	for i := range f.width {
		f.width[i] = 0.5
	}
	return f
}

func (f *font) loadComposite(v lpdf.Value, cmapDir string, cm *cmaps, self uint64) {
	f.composite = true
	d := v.Key("DescendantFonts").Index(0)
	csi := d.Key("CIDSystemInfo")
	reg, ord := csi.Key("Registry").Text(), csi.Key("Ordering").Text()
	if reg == "Adobe" && ord != "" {
		f.ordering = "Adobe-" + ord
	}
	enc := v.Key("Encoding")
	switch enc.Kind() {
	case lpdf.Name:
		f.pre, f.hasPre = predefined(enc.Name())
	case lpdf.Stream:
		if f.ecm, f.ecmSkipped = f.readMap(cm, enc, self); f.ecm == nil {
			break // read as without an encoding: Identity-H, below
		}
		if f.ecm.useCMap != "" {
			f.pre, f.hasPre = predefined(f.ecm.useCMap)
		}
		if f.ecm.wmode == 1 {
			f.vertical = true
		}
		if ord == "" {
			if csi := enc.Key("CIDSystemInfo"); csi.Kind() == lpdf.Dict {
				reg, ord = csi.Key("Registry").Text(), csi.Key("Ordering").Text()
			}
		}
	}
	if !f.hasPre && f.ecm == nil {
		f.pre, f.hasPre = predefined("Identity-H")
	}
	if f.hasPre && f.pre.vertical {
		f.vertical = true
	}
	// The CID table is needed when codes are CIDs (Identity or an embedded CMap) and there is
	// no ToUnicode, or the ToUnicode does not cover every code.
	if !f.hasPre || f.pre.identity {
		f.cids = loadCIDTable(cmapDir, reg, ord)
	}
	if dw := d.Key("DW"); dw.Kind() == lpdf.Integer || dw.Kind() == lpdf.Real {
		f.dw = dw.Float64() / 1000
	}
	if dw2 := d.Key("DW2"); dw2.Len() == 2 {
		f.w1y = dw2.Index(1).Float64() / 1000
	}
	f.cidW = map[uint32]float64{}
	w := d.Key("W")
	for i := 0; i < w.Len() && len(f.cidW) < 1<<17 && len(f.cidWRng) < 1<<16; {
		first := w.Index(i)
		next := w.Index(i + 1)
		if next.Kind() == lpdf.Array {
			c := uint32(first.Int64())
			for j := 0; j < next.Len() && len(f.cidW) < 1<<17; j++ {
				f.cidW[c+uint32(j)] = next.Index(j).Float64() / 1000
			}
			i += 2
			continue
		}
		lo, hi := uint32(first.Int64()), uint32(next.Int64())
		if hi >= lo {
			f.cidWRng = append(f.cidWRng, wRange{lo, hi, w.Index(i+2).Float64() / 1000})
		}
		i += 3
	}
	f.sortRanges()
}

// sortRanges sorts the /W ranges for binary search when none overlaps another, so that which
// one a CID falls in does not depend on their order. Writers such as fpdf give a range per run
// of equal widths, thousands for a CJK font, and every glyph of a page was looked up in them
// one after another (a tenth of reading a 9,500-page PDF). Overlapping ranges keep the file's
// order: the first that holds a CID gives its width, as before.
func (f *font) sortRanges() {
	sorted := slices.Clone(f.cidWRng)
	slices.SortFunc(sorted, func(a, b wRange) int { return cmp.Compare(a.lo, b.lo) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].lo <= sorted[i-1].hi {
			return
		}
	}
	f.cidWRng, f.wSorted = sorted, true
}

// rangeWidth is the width the /W ranges give CID c.
func (f *font) rangeWidth(c uint32) (float64, bool) {
	if f.wSorted {
		// The first range that ends at c or after it; the ranges before it end before c.
		i := sort.Search(len(f.cidWRng), func(i int) bool { return f.cidWRng[i].hi >= c })
		if i < len(f.cidWRng) && f.cidWRng[i].lo <= c {
			return f.cidWRng[i].w, true
		}
		return 0, false
	}
	for _, r := range f.cidWRng {
		if r.lo <= c && c <= r.hi {
			return r.w, true
		}
	}
	return 0, false
}

var glyphNum = func(name string) bool {
	// producer-specific names that carry no meaning: g12, cid345, glyph7, index9, G3, C0012
	for _, p := range []string{"glyph", "index", "cid", "g", "G", "C"} {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" {
			if _, err := strconv.Atoi(rest); err == nil {
				return true
			}
		}
	}
	return false
}

func (f *font) loadSimple(v lpdf.Value) {
	desc := v.Key("FontDescriptor")
	f.symbol = desc.Key("Flags").Int64()&4 != 0 && desc.Key("Flags").Int64()&32 == 0
	scale := 0.001
	if f.type3 {
		if m := v.Key("FontMatrix"); m.Len() == 6 {
			scale = m.Index(0).Float64()
		}
	}
	missing := desc.Key("MissingWidth").Float64() * scale
	first := int(v.Key("FirstChar").Int64())
	ws := v.Key("Widths")
	for c := 0; c < 256; c++ {
		i := c - first
		switch {
		case ws.Kind() == lpdf.Array && i >= 0 && i < ws.Len():
			f.width[c] = ws.Index(i).Float64() * scale
		case missing > 0:
			f.width[c] = missing
		case ws.Kind() != lpdf.Array:
			// a standard 14 font without Widths: an average advance
			f.width[c] = 0.5
			if c == ' ' {
				f.width[c] = 0.25
			}
			if strings.HasPrefix(f.base, "Courier") {
				f.width[c] = 0.6
			}
		}
	}

	enc := v.Key("Encoding")
	base := "StandardEncoding"
	if enc.Kind() == lpdf.Name {
		base = enc.Name()
	} else if enc.Kind() == lpdf.Dict {
		if b := enc.Key("BaseEncoding"); b.Kind() == lpdf.Name {
			base = b.Name()
		}
	}
	for c := 0; c < 256; c++ {
		f.enc[c] = baseEncoding(base, byte(c))
	}
	if enc.Kind() == lpdf.Dict {
		diffs := enc.Key("Differences")
		lib := (&lpdf.Font{V: v}).Encoder() // the library's glyph-name table, for Differences only
		code := -1
		for i := 0; i < diffs.Len() && i < 4096; i++ {
			x := diffs.Index(i)
			switch x.Kind() {
			case lpdf.Integer:
				code = int(x.Int64())
			case lpdf.Name:
				if code >= 0 && code < 256 {
					name := x.Name()
					t := glyphNameText(name)
					if t == "" && !glyphNum(name) {
						if s := lib.Decode(string([]byte{byte(code)})); s != "" {
							r, _ := utf8.DecodeRuneInString(s)
							if r != utf8.RuneError && (r != rune(code) || len(name) == 1 || code < 0x80) {
								t = s
							}
						}
					}
					f.enc[code] = t
				}
				code++
			}
		}
	}
}

// baseEncoding is the text of byte c in a named single-byte encoding.
func baseEncoding(name string, c byte) string {
	switch {
	case c < 0x20:
		return ""
	case name == "MacRomanEncoding":
		return string(charmap.Macintosh.DecodeByte(c))
	case name == "WinAnsiEncoding":
		r := charmap.Windows1252.DecodeByte(c)
		if r == utf8.RuneError {
			return ""
		}
		return string(r)
	default: // StandardEncoding, PDFDocEncoding, MacExpertEncoding: ASCII plus Latin-1
		if c == 0x7F {
			return ""
		}
		if c >= 0x80 && c < 0xA0 {
			return string(charmap.Windows1252.DecodeByte(c))
		}
		return string(rune(c))
	}
}

// glyphNameText reads the names that spell their code point: uniXXXX, uXXXX[XX], and the
// ASCII names the Adobe Glyph List gives one letter (A, a) or a common word.
func glyphNameText(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if rest, ok := strings.CutPrefix(name, "uni"); ok && len(rest) >= 4 && len(rest)%4 == 0 {
		var b strings.Builder
		for i := 0; i+4 <= len(rest); i += 4 {
			v, err := strconv.ParseUint(rest[i:i+4], 16, 32)
			if err != nil {
				return ""
			}
			b.WriteRune(rune(v))
		}
		return b.String()
	}
	if rest, ok := strings.CutPrefix(name, "u"); ok && len(rest) >= 4 && len(rest) <= 6 {
		if v, err := strconv.ParseUint(rest, 16, 32); err == nil && utf8.ValidRune(rune(v)) {
			return string(rune(v))
		}
	}
	if len(name) == 1 && (name[0] >= 'A' && name[0] <= 'Z' || name[0] >= 'a' && name[0] <= 'z') {
		return name
	}
	if s, ok := commonNames[name]; ok {
		return s
	}
	return ""
}

var commonNames = map[string]string{
	"space": " ", "period": ".", "comma": ",", "colon": ":", "semicolon": ";", "hyphen": "-",
	"parenleft": "(", "parenright": ")", "bracketleft": "[", "bracketright": "]", "slash": "/",
	"percent": "%", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
	"six": "6", "seven": "7", "eight": "8", "nine": "9", "quotesingle": "'", "quotedbl": "\"",
	"quoteleft": "‘", "quoteright": "’", "quotedblleft": "“", "quotedblright": "”", "endash": "–",
	"emdash": "—", "bullet": "•", "ellipsis": "…", "exclam": "!", "question": "?", "plus": "+",
	"equal": "=", "ampersand": "&", "at": "@", "dollar": "$", "numbersign": "#", "asterisk": "*",
	"underscore": "_", "less": "<", "greater": ">", "degree": "°", "yen": "¥", "sterling": "£",
	"Euro": "€", "copyright": "©", "registered": "®", "trademark": "™", "periodcentered": "·",
	"middot": "·", "multiply": "×", "divide": "÷", "minus": "−", "fi": "fi", "fl": "fl",
}

// codeLen is the length of the code at the start of s.
func (f *font) codeLen(s string) int {
	if !f.composite {
		return 1
	}
	if f.ecm != nil {
		if n := f.ecm.codeLen(s); n > 0 {
			return min(n, len(s))
		}
	}
	if f.hasPre {
		return min(f.pre.split(s), len(s))
	}
	return min(2, len(s))
}

// cid is the CID of a code, when the encoding says it.
func (f *font) cid(code string) (uint32, bool) {
	n, v := len(code), beUint(code)
	if f.ecm != nil {
		if c, ok := f.ecm.toCID(n, v); ok {
			return c, true
		}
	}
	if f.hasPre && f.pre.identity {
		return v, true
	}
	return 0, false
}

// advance is the horizontal advance of a code in units of the font size.
func (f *font) advance(code string, text string) float64 {
	if !f.composite {
		return f.width[code[0]]
	}
	if c, ok := f.cid(code); ok {
		if w, ok := f.cidW[c]; ok {
			return w
		}
		if w, ok := f.rangeWidth(c); ok {
			return w
		}
		return f.dw
	}
	// a predefined CMap without the CMap file: half width for half-width characters
	if r, _ := utf8.DecodeRuneInString(text); r < 0x2E80 || r >= 0xFF61 && r <= 0xFF9F {
		return f.dw / 2
	}
	return f.dw
}

// text decodes one code.
func (f *font) text(code string) decoded {
	k := key(len(code), beUint(code))
	if len(code) > 4 {
		k = uint64(len(code)) << 32 // cannot happen with codeLen; keep the cache sane
	}
	if d, ok := f.cache[k]; ok {
		return d
	}
	d := f.decode(code)
	if len(f.cache) < 1<<16 {
		f.cache[k] = d
	}
	return d
}

func (f *font) decode(code string) decoded {
	if f.tu != nil {
		if s, ok := f.tu.toUnicode(len(code), beUint(code)); ok && usableText(s) {
			return decoded{s, srcToUnicode}
		}
	}
	if !f.composite {
		if s := f.enc[code[0]]; s != "" {
			return decoded{s, srcEncoding}
		}
		return decoded{"\uFFFD", srcNone}
	}
	if f.hasPre && !f.pre.identity {
		if s, ok := f.pre.decode(code); ok && usableText(s) {
			return decoded{s, srcPredef}
		}
	}
	if f.cids != nil {
		if c, ok := f.cid(code); ok {
			if r, ok := f.cids.lookup(c); ok {
				return decoded{string(r), srcCID}
			}
		}
	}
	return decoded{"\uFFFD", srcNone}
}

// usableText rejects the empty strings, NULs and replacement characters some ToUnicode maps hold.
func usableText(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r != 0 && r != utf8.RuneError && r != 0xFFFF {
			return true
		}
	}
	return false
}

// unmapped says, for Page.Unmapped, which font left n glyphs without Unicode and why.
func (f *font) unmapped(n int) string {
	name := f.base
	if name == "" {
		name = "(unnamed font)"
	}
	var why []string
	if f.embedded {
		why = append(why, "embedded")
	}
	switch {
	case f.composite && f.ecmSkipped != "":
		why = append(why, "encoding CMap "+f.ecmSkipped)
	case f.composite && f.hasPre:
		why = append(why, f.pre.name)
	case f.composite:
		why = append(why, "embedded CMap")
	default:
		why = append(why, "simple font")
	}
	if f.tuSkipped != "" {
		why = append(why, "ToUnicode "+f.tuSkipped)
	} else if f.tu == nil {
		why = append(why, "no ToUnicode")
	} else {
		why = append(why, "ToUnicode incomplete")
	}
	if f.composite && f.cids == nil && (!f.hasPre || f.pre.identity) {
		switch f.ordering {
		case "Adobe-GB1", "Adobe-CNS1", "Adobe-Japan1", "Adobe-Korea1", "Adobe-KR":
			why = append(why, "no CID table for "+f.ordering+" (poppler-data)")
		default:
			why = append(why, "CIDs of the font's own order")
		}
	}
	return fmt.Sprintf("%s (%s): %d glyphs without Unicode", name, strings.Join(why, ", "), n)
}

// srcPath names a glyph source as a Page.Path.
func (f *font) srcPath(src uint8) string {
	switch src {
	case srcToUnicode, srcEncoding:
		return PathTextLayer
	case srcPredef:
		return "cmap:" + f.pre.name
	case srcCID:
		return "cid:" + f.ordering
	case srcLatinGBK:
		return PathGBKInLatin
	case srcLatinB5:
		return PathB5InLatin
	}
	return PathNone
}
