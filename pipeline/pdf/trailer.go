package pdf

import (
	"bytes"
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
// The file is not copied (it may be tens of MB): the mended file is its first cut bytes
// followed by tail, a copy of the few bytes from the number to the end with the number
// rewritten. Only the end of the file and the table are read.
func mendSize(f *file) (cut int64, tail []byte, ok bool) {
	at, err := f.lastIndex("startxref")
	if err != nil || at < 0 {
		return 0, nil, false
	}
	after, err := f.bytesAt(at+int64(len("startxref")), 1024)
	if err != nil {
		return 0, nil, false
	}
	n, _, found := decimal(after)
	if !found || n >= uint64(at) || at-int64(n) > maxTableBytes {
		return 0, nil, false
	}
	table, err := f.bytesAt(int64(n), at-int64(n))
	if err != nil || !bytes.HasPrefix(table, []byte("xref")) {
		return 0, nil, false
	}
	table = table[len("xref"):]
	end := bytes.Index(table, []byte("trailer"))
	if end < 0 {
		return 0, nil, false
	}
	highest, found := tableEnd(table[:end])
	if !found || highest > maxObjects+1 {
		return 0, nil, false
	}
	trailer := table[end:]
	k := bytes.Index(trailer, []byte("/Size"))
	if k < 0 {
		return 0, nil, false
	}
	num := trailer[k+len("/Size"):]
	size, rest, found := decimal(num)
	if !found || size >= highest {
		return 0, nil, false
	}
	// The number's digits end len(rest) bytes before at (num and rest end where table does).
	to := at - int64(len(rest))
	cut = to - int64(len(bytes.TrimLeftFunc(num[:len(num)-len(rest)], func(r rune) bool { return r < 0x80 && isWS(byte(r)) })))
	end2, err := f.bytesAt(to, f.size()-to)
	if err != nil {
		return 0, nil, false
	}
	return cut, append(strconv.AppendUint(nil, highest, 10), end2...), true
}

// maxTableBytes is the longest cross-reference table mendSize reads: 20 bytes an entry, for
// the most objects a file may have.
const maxTableBytes = 20*(maxObjects+1) + 1<<20

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

// decimal reads the decimal number (at most 20 digits; 1<<63 when it overflows) after
// optional white space at the start of b, and returns it with the bytes after it.
func decimal(b []byte) (n uint64, rest []byte, ok bool) {
	i := 0
	for i < len(b) && isWS(b[i]) {
		i++
	}
	j := i
	for j < len(b) && j-i < 20 && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j == i {
		return 0, b, false
	}
	n, err := strconv.ParseUint(string(b[i:j]), 10, 64)
	if err != nil {
		n = 1 << 63
	}
	return n, b[j:], true
}
