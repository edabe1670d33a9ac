package pdf

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pageLayout is a page after interpretation: its lines in reading order, before running
// headers are removed and paragraphs are formed.
type pageLayout struct {
	lines     []line
	box       rect
	glyphs    int // glyphs with text, artifacts included
	images    int
	imageArea float64
	paths     int
	srcs      map[string]int // Path → glyphs
	unmapped  []string       // the fonts that left glyphs without Unicode, how many and why (font.unmapped)
	truncated bool
}

// line is one line of text in the reading frame (rotated so text runs left to right).
type line struct {
	text         string
	x0, x1, base float64
	size         float64
	colX0, colX1 float64 // the column the line was cut from
	col          int
	edge         int8 // +1: in the top band of the page, -1: bottom band
	removed      bool
	artifact     bool
	group        int // 0 for the page's main direction, then each other direction
	head         bool
	table        bool // a table's row: never joined with another line
	cells        int  // atoms in the line
}

func (l *line) top() float64    { return l.base + 0.85*l.size }
func (l *line) bottom() float64 { return l.base - 0.25*l.size }

// item is a glyph in the reading frame.
type item struct {
	x0, x1, base, size float64
	text               string
	space              bool
	g                  int
}

// atom is a run of glyphs drawn one after another on one baseline without a wide gap.
type atom struct {
	items              []item
	x0, x1, base, size float64
	core               float64 // x1 without closing punctuation hung into the gutter
	text               string
	first, last        rune
}

func (a *atom) y0() float64 { return a.base - 0.25*a.size }
func (a *atom) y1() float64 { return a.base + 0.85*a.size }

// buildLayout turns a page's glyphs into lines in reading order.
func buildLayout(glyphs []glyph, box rect) *pageLayout {
	pl := &pageLayout{box: box, srcs: map[string]int{}}
	var main, art []int
	var unmapped map[*font]int // said in words below: a layout kept until its page is finished holds no font, nor its maps
	for i := range glyphs {
		g := &glyphs[i]
		if g.text == "" {
			continue
		}
		if !isBlank(g.text) {
			pl.glyphs++
			pl.srcs[g.font.srcPath(g.src)]++
			if g.src == srcNone {
				if unmapped == nil {
					unmapped = map[*font]int{}
				}
				unmapped[g.font]++
			}
		}
		if g.flags&gArtifact != 0 {
			art = append(art, i)
		} else {
			main = append(main, i)
		}
	}
	for f, n := range unmapped {
		pl.unmapped = append(pl.unmapped, f.unmapped(n))
	}
	sort.Strings(pl.unmapped)
	groups := directionGroups(glyphs, main)
	for gi, grp := range groups {
		lines := layoutGroup(glyphs, grp.idx, grp.rot, box)
		for k := range lines {
			lines[k].group = gi
		}
		if gi == 0 {
			pl.box = rotateRect(box, grp.rot)
		}
		pl.lines = append(pl.lines, lines...)
	}
	for _, grp := range directionGroups(glyphs, art) {
		for _, l := range layoutGroup(glyphs, grp.idx, grp.rot, box) {
			l.artifact, l.removed = true, true
			pl.lines = append(pl.lines, l)
		}
	}
	markEdges(pl)
	return pl
}

// less orders two coordinates for slices.SortStableFunc as the < operator does: -1 when a
// comes first, 1 when b does, 0 otherwise (NaN included).
func less(a, b float64) int {
	switch {
	case a < b:
		return -1
	case b < a:
		return 1
	}
	return 0
}

func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && r != 0 {
			return false
		}
	}
	return true
}

type dirGroup struct {
	rot int // quarter turns that bring the group's direction to left-to-right
	idx []int
}

// directionGroups splits glyphs by reading direction (right, up, left, down — vertical
// Chinese reads down), the most common first.
func directionGroups(glyphs []glyph, idx []int) []dirGroup {
	var by [4][]int
	for _, i := range idx {
		g := &glyphs[i]
		a := math.Atan2(g.dy, g.dx)
		q := int(math.Round(a/(math.Pi/2))+4) % 4
		by[q] = append(by[q], i)
	}
	var out []dirGroup
	for q := 0; q < 4; q++ {
		if len(by[q]) > 0 {
			out = append(out, dirGroup{rot: q, idx: by[q]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].idx) > len(out[j].idx) })
	return out
}

// rotate brings a point of a group whose direction is q quarter turns counterclockwise from
// the x axis into the reading frame.
func rotate(x, y float64, q int) (float64, float64) {
	switch q {
	case 1: // text runs up
		return y, -x
	case 2:
		return -x, -y
	case 3: // text runs down (vertical writing): columns from right to left become lines
		return -y, x
	}
	return x, y
}

func rotateRect(r rect, q int) rect {
	ax, ay := rotate(r.x0, r.y0, q)
	bx, by := rotate(r.x1, r.y1, q)
	return rect{min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)}
}

// layoutGroup lays out glyphs that share one reading direction.
func layoutGroup(glyphs []glyph, idx []int, rot int, box rect) []line {
	items := make([]item, 0, len(idx))
	for _, i := range idx {
		g := &glyphs[i]
		x, y := rotate(g.x, g.y, rot)
		size := g.size
		if size <= 0.01 || math.IsNaN(size) || size > 2000 {
			size = 10
		}
		adv := g.adv
		if math.IsNaN(adv) || adv < 0 {
			adv = 0
		}
		if g.flags&gVertical != 0 {
			y -= 0.3 * size
		}
		it := item{x0: x, x1: x + adv, base: y, size: size, text: g.text, space: isBlank(g.text), g: i}
		if adv < 0.05*size && !it.space {
			it.x1 = x + 0.5*size
		}
		items = append(items, it)
	}
	atoms := makeAtoms(items)
	if len(atoms) == 0 {
		return nil
	}
	all := make([]int, len(atoms))
	for i := range all {
		all[i] = i
	}
	var leaves []leaf
	x0, x1 := extentX(atoms, all)
	xycut(atoms, all, x0, x1, 0, &leaves)
	var lines []line
	for li, lf := range leaves {
		for _, l := range leafLines(atoms, lf) {
			l.col, l.colX0, l.colX1, l.table = li, lf.x0, lf.x1, lf.table
			lines = append(lines, l)
		}
	}
	margins(lines)
	return lines
}

// margins replaces each column's extent by its text margins: the left edge most lines start
// at and the right edge most reach, so that a stray line (a kicker, OCR debris) sticking out
// does not make every other line look indented or short.
func margins(lines []line) {
	type colKey struct{ x0, x1 float64 }
	cols := map[colKey][]int{}
	for i := range lines {
		k := colKey{lines[i].colX0, lines[i].colX1}
		cols[k] = append(cols[k], i)
	}
	for _, idx := range cols {
		if len(idx) < 3 {
			continue
		}
		x0s := make([]float64, len(idx))
		x1s := make([]float64, len(idx))
		for k, i := range idx {
			x0s[k], x1s[k] = lines[i].x0, lines[i].x1
		}
		sort.Float64s(x0s)
		sort.Float64s(x1s)
		left, right := x0s[len(x0s)/4], x1s[len(x1s)*3/4]
		for _, i := range idx {
			lines[i].colX0, lines[i].colX1 = left, right
		}
	}
}

// makeAtoms cuts the glyphs, in drawing order, into runs on one baseline.
func makeAtoms(items []item) []atom {
	atoms := make([]atom, 0, len(items)/8+1)
	var cur *atom
	spaces := 0
	for k, it := range items {
		if cur != nil {
			sz := max(cur.size, it.size)
			same := math.Abs(it.base-cur.base) <= 0.3*sz &&
				it.x0 >= cur.x1-0.6*sz &&
				it.x0-cur.x1 <= 0.9*sz &&
				it.size <= 1.6*cur.size && cur.size <= 1.6*it.size &&
				!(it.space && spaces >= 2)
			if !same {
				cur = nil
			}
		}
		// an atom's items are a run of items: a slice of them, not a copy
		if it.space {
			if cur != nil {
				spaces++
				cur.items = cur.items[:len(cur.items)+1]
				cur.x1 = max(cur.x1, it.x1)
			}
			continue
		}
		spaces = 0
		if cur == nil {
			atoms = append(atoms, atom{items: items[k:k:len(items)], x0: it.x0, x1: it.x1, base: it.base, size: it.size})
			cur = &atoms[len(atoms)-1]
		}
		cur.items = cur.items[:len(cur.items)+1]
		cur.x0 = min(cur.x0, it.x0)
		cur.x1 = max(cur.x1, it.x1)
		cur.size = max(cur.size, it.size)
	}
	for i := range atoms {
		a := &atoms[i]
		// trailing spaces do not widen an atom
		for len(a.items) > 0 && a.items[len(a.items)-1].space {
			a.items = a.items[:len(a.items)-1]
		}
		a.x1, a.core = a.x0, a.x0
		for k, it := range a.items {
			a.x1 = max(a.x1, it.x1)
			if k == 0 || !hangs(it.text) {
				a.core = max(a.core, it.x1)
			}
		}
		a.text = joinItems(a.items)
		a.first, _ = utf8.DecodeRuneInString(a.text)
		a.last, _ = utf8.DecodeLastRuneInString(a.text)
	}
	return atoms
}

// joinItems spells an atom: no space next to a CJK character (justified and letter-spaced
// Chinese), a space between Latin words where the file drew one or left a gap; a glyph drawn
// twice at one place (fake bold, shadow) once.
func joinItems(items []item) string {
	var b strings.Builder
	var prev *item
	sawSpace := false
	for i := range items {
		it := &items[i]
		if it.space {
			sawSpace = true
			continue
		}
		if prev != nil {
			if it.text == prev.text && math.Abs(it.x0-prev.x0) < 0.2*it.size {
				continue
			}
			a, _ := utf8.DecodeLastRuneInString(prev.text)
			c, _ := utf8.DecodeRuneInString(it.text)
			gap := it.x0 - prev.x1
			if isCJK(a) || isCJK(c) {
				// a drawn space counts next to CJK only where it leaves a gap: GBK-in-Latin
				// files draw one after every character, overlapped by the next
				if sawSpace && gap >= 0.2*it.size {
					b.WriteByte(' ')
				}
			} else if sawSpace || gap > 0.15*it.size {
				b.WriteByte(' ')
			}
		}
		b.WriteString(it.text)
		prev = it
		sawSpace = false
	}
	return b.String()
}

// hangs reports the closing punctuation Chinese typesetting may hang past a column's edge.
func hangs(s string) bool {
	return len(s) > 1 && strings.Contains("，。、；：？！”’）》", s)
}

// isCJK reports runes next to which a space means nothing: Han, kana, Hangul, CJK
// punctuation, full-width forms, and the dashes, quotes and ellipsis Chinese text uses.
func isCJK(r rune) bool {
	switch {
	case r >= 0x2E80 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7AF, r >= 0xF900 && r <= 0xFAFF,
		r >= 0x2010 && r <= 0x2027, r == 0xB7, // dashes, quotes and … as Chinese sets them
		r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFFEF, r >= 0x20000 && r <= 0x3FFFF:
		return true
	}
	return false
}

type leaf struct {
	atoms  []int
	x0, x1 float64 // the column's extent
	table  bool    // a table: read row by row, cells left to right
}

func extentX(atoms []atom, idx []int) (float64, float64) {
	x0, x1 := math.Inf(1), math.Inf(-1)
	for _, i := range idx {
		x0 = min(x0, atoms[i].x0)
		x1 = max(x1, atoms[i].x1)
	}
	return x0, x1
}

func medianSize(atoms []atom, idx []int) float64 {
	s := make([]float64, len(idx))
	for k, i := range idx {
		s[k] = atoms[i].size
	}
	sort.Float64s(s)
	return s[len(s)/2]
}

// xycut orders atoms by recursive XY-cut: a region with a vertical band of white space from
// its top to its bottom splits into columns, read left to right; otherwise it splits at its
// widest horizontal gaps, read top to bottom. Column cuts go first, so a headline across two
// columns is cut off above them rather than read between their lines, except at a white band
// 1.5 lines high across the whole region, which parts blocks of articles. colX0..colX1 is the
// extent of the column the region belongs to, which paragraph joining measures lines against.
func xycut(atoms []atom, idx []int, colX0, colX1 float64, depth int, out *[]leaf) {
	if len(idx) <= 1 || depth > 200 {
		*out = append(*out, leaf{atoms: idx, x0: colX0, x1: colX1})
		return
	}
	med := medianSize(atoms, idx)

	if !oneLine(atoms, idx) {
		slices.SortStableFunc(idx, func(a, b int) int { return less(atoms[a].x0, atoms[b].x0) })
		var cuts []int
		maxX1 := atoms[idx[0]].core
		for k := 1; k < len(idx); k++ {
			a := &atoms[idx[k]]
			if a.x0-maxX1 >= 0.8*med {
				cuts = append(cuts, k)
			}
			maxX1 = max(maxX1, a.core)
		}
		// A band of white space across the whole region, 1.5 lines high or more, separates
		// blocks of articles (a page's upper and lower modules, the masthead): it is cut
		// before the columns, or a column running down beside a short headline below would
		// take the lower block's column with it.
		if len(cuts) > 0 {
			if parts := wideGaps(atoms, idx, 1.5*med); len(parts) > 1 {
				for _, part := range parts {
					xycut(atoms, part, colX0, colX1, depth+1, out)
				}
				return
			}
		}
		if len(cuts) > 0 {
			var parts [][]int
			start := 0
			for _, c := range append(cuts, len(idx)) {
				parts = append(parts, append([]int(nil), idx[start:c]...))
				start = c
			}
			if isTable(atoms, parts) {
				for _, t := range splitTables(atoms, parts) {
					x0, x1 := extentX(atoms, t)
					*out = append(*out, leaf{atoms: t, x0: x0, x1: x1, table: true})
				}
				return
			}
			for _, part := range parts {
				x0, x1 := extentX(atoms, part)
				xycut(atoms, part, x0, x1, depth+1, out)
			}
			return
		}
	}

	slices.SortStableFunc(idx, func(a, b int) int { return less(atoms[b].y1(), atoms[a].y1()) })
	type gap struct {
		at int
		g  float64
	}
	var gaps []gap
	widest := 0.0
	minY0 := atoms[idx[0]].y0()
	for k := 1; k < len(idx); k++ {
		a := &atoms[idx[k]]
		if g := minY0 - a.y1(); g > 0.05*med {
			gaps = append(gaps, gap{k, g})
			widest = max(widest, g)
		}
		minY0 = min(minY0, a.y0())
	}
	if len(gaps) == 0 {
		*out = append(*out, leaf{atoms: idx, x0: colX0, x1: colX1})
		return
	}
	start := 0
	for _, g := range append(gaps, gap{len(idx), widest}) {
		if g.g < 0.75*widest {
			continue
		}
		part := append([]int(nil), idx[start:g.at]...)
		xycut(atoms, part, colX0, colX1, depth+1, out)
		start = g.at
	}
}

// isTable reports whether the columns a region was cut into are a table's: three or more of
// them, their lines side by side on shared baselines in most rows (a table's rows), and short
// cells in ragged columns rather than the justified lines of text columns, whose baselines
// line up too.
func isTable(atoms []atom, parts [][]int) bool {
	if len(parts) < 3 {
		return false
	}
	type cell struct {
		base, size float64
		part       int
	}
	var cells []cell
	ragged := 0
	for p, part := range parts {
		x0, x1 := extentX(atoms, part)
		full := 0
		for _, i := range part {
			a := &atoms[i]
			cells = append(cells, cell{a.base, a.size, p})
			if a.x1-a.x0 >= 0.9*(x1-x0) {
				full++
			}
		}
		if full*2 < len(part) {
			ragged++
		}
	}
	if ragged*2 < len(parts) {
		return false // justified columns of text
	}
	slices.SortStableFunc(cells, func(a, b cell) int { return less(b.base, a.base) })
	rows, aligned := 0, 0
	for k := 0; k < len(cells); {
		j := k
		seen := map[int]bool{}
		for j < len(cells) && math.Abs(cells[j].base-cells[k].base) <= 0.3*min(cells[j].size, cells[k].size) {
			seen[cells[j].part] = true
			j++
		}
		rows++
		if len(seen) >= 3 {
			aligned++
		}
		k = j
	}
	if aligned < 3 || aligned*2 < rows {
		return false
	}
	short := 0
	for _, part := range parts {
		for _, i := range part {
			if n := utf8.RuneCountInString(atoms[i].text); n <= 10 || numeric(atoms[i].text) {
				short++
			}
		}
	}
	return short*10 >= 6*len(cells)
}

// splitTables parts a table region where a column of labels follows columns of figures: two
// tables set side by side, each with its labels on the left. The left one is read first.
func splitTables(atoms []atom, parts [][]int) [][]int {
	figures := func(p []int) bool {
		n := 0
		for _, i := range p {
			if numeric(atoms[i].text) {
				n++
			}
		}
		return n*10 >= 7*len(p)
	}
	for k := 3; k+3 <= len(parts); k++ {
		if figures(parts[k-1]) && !figures(parts[k]) && isTable(atoms, parts[:k]) && isTable(atoms, parts[k:]) {
			return append([][]int{slices.Concat(parts[:k]...)}, splitTables(atoms, parts[k:])...)
		}
	}
	return [][]int{slices.Concat(parts...)}
}

// numeric reports a cell of figures: digits with their separators, signs and units marks.
func numeric(s string) bool {
	digits, other := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9' || r >= '０' && r <= '９':
			digits++
		case strings.ContainsRune(" ,.，．%％-–—+()（）", r):
		default:
			other++
		}
	}
	return digits > 0 && other <= 2
}

// wideGaps splits a region, top to bottom, at the horizontal bands of white space at least
// min high that cross it whole; one part when there is none.
func wideGaps(atoms []atom, idx []int, min float64) [][]int {
	byTop := append([]int(nil), idx...)
	slices.SortStableFunc(byTop, func(a, b int) int { return less(atoms[b].y1(), atoms[a].y1()) })
	var parts [][]int
	start := 0
	lowest := atoms[byTop[0]].y0()
	for k := 1; k < len(byTop); k++ {
		a := &atoms[byTop[k]]
		if lowest-a.y1() >= min {
			parts = append(parts, byTop[start:k])
			start = k
		}
		lowest = math.Min(lowest, a.y0())
	}
	return append(parts, byTop[start:])
}

// oneLine reports whether all atoms share one band of height: a single line, whatever gaps
// it has (a letter-spaced title), is never cut into columns.
func oneLine(atoms []atom, idx []int) bool {
	lo, hi := math.Inf(-1), math.Inf(1)
	for _, i := range idx {
		lo = max(lo, atoms[i].base-0.2*atoms[i].size)
		hi = min(hi, atoms[i].base+0.2*atoms[i].size)
	}
	return lo <= hi
}

// leafLines groups a leaf's atoms into lines, top to bottom, each left to right.
func leafLines(atoms []atom, lf leaf) []line {
	idx := append([]int(nil), lf.atoms...)
	slices.SortStableFunc(idx, func(a, b int) int { return less(atoms[b].base, atoms[a].base) })
	var groups [][]int
	for _, i := range idx {
		a := &atoms[i]
		if n := len(groups); n > 0 {
			g := groups[n-1]
			ref := &atoms[g[0]]
			if math.Abs(ref.base-a.base) <= 0.5*min(ref.size, a.size) {
				groups[n-1] = append(g, i)
				continue
			}
		}
		groups = append(groups, []int{i})
	}
	lines := make([]line, 0, len(groups))
	for _, g := range groups {
		slices.SortStableFunc(g, func(a, b int) int { return less(atoms[a].x0, atoms[b].x0) })
		var b strings.Builder
		l := line{x0: math.Inf(1), x1: math.Inf(-1)}
		var prev *atom
		sizes := 0.0
		n := 0
		for _, i := range g {
			a := &atoms[i]
			if a.text == "" {
				continue
			}
			if prev != nil {
				gap := a.x0 - prev.x1
				if !(isCJK(prev.last) && isCJK(a.first) && gap < 1.5*a.size) && !(isCJK(prev.last) != isCJK(a.first) && gap < 0.9*a.size) {
					b.WriteByte(' ')
				}
			}
			b.WriteString(a.text)
			l.cells++
			l.x0, l.x1 = min(l.x0, a.x0), max(l.x1, a.x1)
			c := utf8.RuneCountInString(a.text)
			sizes += a.size * float64(c)
			n += c
			l.base += a.base * float64(c)
			prev = a
		}
		if n == 0 {
			continue
		}
		l.size = sizes / float64(n)
		l.base /= float64(n)
		l.text = b.String()
		lines = append(lines, l)
	}
	return lines
}

// markEdges flags the lines in the top and bottom tenth of the page that have at most two
// lines of the page's main text beyond them: candidates for running headers and page numbers.
func markEdges(pl *pageLayout) {
	h := pl.box.h()
	if h <= 0 {
		return
	}
	var main []int
	for i := range pl.lines {
		if pl.lines[i].group == 0 && !pl.lines[i].artifact {
			main = append(main, i)
		}
	}
	if len(main) < 3 {
		return
	}
	byTop := append([]int(nil), main...)
	sort.SliceStable(byTop, func(a, b int) bool { return pl.lines[byTop[a]].top() > pl.lines[byTop[b]].top() })
	for k := 0; k < len(byTop) && k < 3; k++ {
		l := &pl.lines[byTop[k]]
		if l.bottom() > pl.box.y1-0.1*h {
			l.edge = 1
		}
	}
	for k := len(byTop) - 1; k >= 0 && k >= len(byTop)-3; k-- {
		l := &pl.lines[byTop[k]]
		if l.top() < pl.box.y0+0.1*h {
			l.edge = -1
		}
	}
}
