package pdf

import (
	"bytes"
	"io"
	"math"
	"strconv"
)

// mendSize corrects a trailer whose /Size is smaller than its own cross-reference table.
//
// poppler's pdfunite (22.12 at least) writes the trailer of the first file it joins, /Size
// and all, after a table of every object of the joined file: /Size 12 after 20 entries, the
// catalog among the entries past 12. ledongthuc/pdf cuts the table to /Size, loses the
// catalog and finds no pages, where poppler (pdfinfo, pdftotext) reads the file. The standard
// says /Size is one more than the highest object number in the table, so when the last
// table (the one startxref points to, written as text) names higher objects, its trailer's
// /Size is rewritten to say so. Nothing else moves: the trailer follows the table and the
// objects, and startxref points before it. A file whose table is a stream, or whose /Size is
// right, is left as it is (ok false).
//
// The file is not copied (it may be tens of MB): the mended file reads its bytes [cut, skip),
// the number, as patch, the number rewritten. Only the end of the file, the table and its
// trailer are read (in a linearized file, the table startxref points to is near the start:
// nothing past its trailer is read).
func mendSize(f *file) (cut, skip int64, patch []byte, ok bool) {
	at, err := f.lastIndex("startxref")
	if err != nil || at < 0 {
		return 0, 0, nil, false
	}
	after, err := f.bytesAt(at+int64(len("startxref")), 1024)
	if err != nil {
		return 0, 0, nil, false
	}
	n, _, found := decimal(after)
	if !found || n >= uint64(at) || at-int64(n) > maxTableBytes {
		return 0, 0, nil, false
	}
	start := int64(n) + int64(len("xref"))
	if head, err := f.bytesAt(int64(n), 4); err != nil || string(head) != "xref" {
		return 0, 0, nil, false
	}
	end, err := f.indexIn("trailer", start, at)
	if err != nil || end < 0 {
		return 0, 0, nil, false
	}
	table, err := f.bytesAt(start, end-start)
	if err != nil {
		return 0, 0, nil, false
	}
	highest, found := tableEnd(table)
	if !found || highest > maxObjects+1 {
		return 0, 0, nil, false
	}
	// the trailer's /Size: its dictionary is a few hundred bytes, before startxref
	trailer, err := f.bytesAt(end, min(at-end, maxTrailerBytes))
	if err != nil {
		return 0, 0, nil, false
	}
	k := bytes.Index(trailer, []byte("/Size"))
	if k < 0 {
		return 0, 0, nil, false
	}
	numAt := end + int64(k+len("/Size"))
	num, err := f.bytesAt(numAt, min(at-numAt, 1024))
	if err != nil {
		return 0, 0, nil, false
	}
	size, rest, found := decimal(num)
	if !found || size >= highest || len(rest) == 0 && int64(len(num)) < at-numAt { // digits past the window
		return 0, 0, nil, false
	}
	skip = numAt + int64(len(num)-len(rest))
	cut = skip - int64(len(bytes.TrimLeftFunc(num[:len(num)-len(rest)], func(r rune) bool { return r < 0x80 && isWS(byte(r)) })))
	return cut, skip, strconv.AppendUint(nil, highest, 10), true
}

// maxTableBytes is the longest cross-reference table mendSize reads: 20 bytes an entry, for
// the most objects a file may have. maxTrailerBytes is how far after the table mendSize looks
// for /Size.
const (
	maxTableBytes   = 20*(maxObjects+1) + 1<<20
	maxTrailerBytes = 64 << 10
)

// tableEnd reads the subsections of a cross-reference table written as text ("start count"
// then count entries "offset generation n|f") and returns one more than the highest object
// number they list.
func tableEnd(b []byte) (highest uint64, ok bool) {
	f := bytes.Fields(b)
	for i := 0; i < len(f); {
		if i+1 >= len(f) {
			return 0, false
		}
		start, err1 := strconv.ParseUint(string(f[i]), 10, 32)
		count, err2 := strconv.ParseUint(string(f[i+1]), 10, 32)
		if err1 != nil || err2 != nil || count > uint64(len(f)) {
			return 0, false
		}
		i += 2
		if uint64(len(f)-i) < 3*count {
			return 0, false
		}
		for e := range int(count) {
			if kind := string(f[i+3*e+2]); kind != "n" && kind != "f" {
				return 0, false
			}
		}
		i += 3 * int(count)
		highest = max(highest, start+count)
	}
	return highest, highest > 0
}

// decimal reads the decimal number (at most 20 digits after its leading zeros; 1<<63 when it
// overflows) after optional white space and comments at the start of b, and returns it with
// the bytes after it.
func decimal(b []byte) (n uint64, rest []byte, ok bool) {
	r := bytes.NewReader(b)
	n, ok = decimalFrom(r)
	if !ok {
		return 0, b, false
	}
	return n, b[len(b)-r.Len():], true
}

// decimalFrom is decimal reading from r: it stops before the first byte after the number.
// Leading zeros do not count among the 20 digits, and a plus sign may lead: "0…01000000000000"
// and "+1000000000000" are large numbers, as the library reads them.
func decimalFrom(r io.ByteScanner) (n uint64, ok bool) {
	c, err := skipSpace(r)
	if err == nil && c == '+' { // the library reads +12 as 12
		c, err = r.ReadByte()
	}
	for err == nil && c == '0' {
		ok = true
		c, err = r.ReadByte()
	}
	over := false
	for digits := 0; err == nil && c >= '0' && c <= '9' && digits < 20; digits++ {
		d := uint64(c - '0')
		if n > (math.MaxUint64-d)/10 {
			over = true
		}
		n = n*10 + d
		ok = true
		c, err = r.ReadByte()
	}
	if err == nil {
		r.UnreadByte()
	}
	if over {
		n = 1 << 63
	}
	return n, ok
}
