package pdf

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"strconv"

	lpdf "github.com/ledongthuc/pdf"
)

// ledongthuc/pdf trusts the numbers a file gives it. Three kinds of file crash a process
// outright, past any recover: an object number or /Size in the billions (the cross-reference
// table is allocated to that size: out of memory), a /Columns predictor as large, and an
// object stream that is its own container (endless recursion: stack overflow). prescan and
// checkXref turn them away before the library meets them; the depth check in budgetReader
// catches the longer cycles (a stream whose /Length lives inside itself).

// maxObjects is PDF 32000-1's implementation limit on indirect objects (Annex C).
const maxObjects = 8388607

// prescan looks for names with bytes.IndexByte, a MiB of the file at a time (a regular
// expression over a whole file costs more than reading it), and reads the numbers after the
// names it checks from the file, however far they go: a name's numbers, or a cross-reference
// table to its end. It reads names, white space, comments and numbers as the library's lexer
// does (/S#69ze is /Size, a comment may stand before a number, +12 is 12). The names are
// checked before the tables: a table's error is given only when no name has one.
func prescan(f *file) error {
	index := func(r io.ByteScanner) error {
		if c, err := skipSpace(r); err != nil || c != '[' {
			return nil
		}
		for k := 0; k < 10000; k++ {
			a, ok1 := decimalFrom(r)
			c, ok2 := decimalFrom(r)
			if !ok1 || !ok2 {
				return nil
			}
			if a+c > maxObjects+1 {
				return fmt.Errorf("/Index %d %d beyond the limit of %d objects", a, c, maxObjects)
			}
		}
		return nil
	}
	var tableErr error
	err := f.scan(16, func(at int64, b []byte) error {
		// what follows: the scan's bytes (to the end of its MiB), then the file's
		after := func(n int, size int) io.ByteScanner { return &spill{b: b[n:], f: f, at: at + int64(n), size: size} }
		if b[0] != '/' { // xref
			if tableErr == nil && len(b) > 4 && isWS(b[4]) {
				tableErr = scanXrefTable(after(4, 64<<10))
			}
			return nil
		}
		var name string
		var r io.ByteScanner
		if raw, ok := nameIn(b[1:]); ok { // nearly every name: no escape, within the scan's bytes
			switch string(raw) {
			case "Size", "Columns", "Index":
				name, r = string(raw), after(1+len(raw), 512)
			default:
				return nil
			}
		} else {
			r = after(1, 512)
			name = readName(r)
		}
		switch name {
		case "Size":
			if n, ok := decimalFrom(r); ok && n > maxObjects+1 {
				return fmt.Errorf("/Size %d beyond the limit of %d objects", n, maxObjects)
			}
		case "Columns":
			if n, ok := decimalFrom(r); ok && n > 1<<24 {
				return fmt.Errorf("/Columns %d too large", n)
			}
		case "Index":
			return index(r)
		}
		return nil
	}, "/", "xref")
	if err != nil {
		return err
	}
	return tableErr
}

// nameIn returns the name at the start of b (after its slash) when it ends within b with no
// #xx escape, with ok; a name is nil when it is longer than any prescan checks. ok is false
// when readName must read it: it has an escape, or runs past b.
func nameIn(b []byte) (name []byte, ok bool) {
	for i, c := range b {
		switch {
		case isWS(c) || isDelimiter(c):
			return b[:i], true
		case c == '#':
			return nil, false
		case i >= 8: // 9 characters before any escape: longer than Columns
			return nil, true
		}
	}
	return nil, false
}

// readName reads a name's characters after its slash, #xx escapes decoded, and returns it; ""
// for one longer than the names prescan checks, or with a bad escape.
func readName(r io.ByteScanner) string {
	var buf [8]byte
	n := 0
	for {
		c, err := r.ReadByte()
		if err != nil {
			break
		}
		if isWS(c) || isDelimiter(c) {
			r.UnreadByte()
			break
		}
		if c == '#' {
			h, err1 := r.ReadByte()
			l, err2 := r.ReadByte()
			x, ok1 := unhexByte(h)
			y, ok2 := unhexByte(l)
			if err1 != nil || err2 != nil || !ok1 || !ok2 {
				return ""
			}
			c = x<<4 | y
		}
		if n == len(buf) {
			return ""
		}
		buf[n] = c
		n++
	}
	return string(buf[:n])
}

// skipSpace reads past white space and comments, as the library's lexer does, and returns the
// byte after them.
func skipSpace(r io.ByteReader) (byte, error) {
	c, err := r.ReadByte()
	for err == nil {
		switch {
		case isWS(c):
		case c == '%':
			for err == nil && c != '\n' && c != '\r' {
				c, err = r.ReadByte()
			}
			if err != nil {
				return 0, err
			}
		default:
			return c, nil
		}
		c, err = r.ReadByte()
	}
	return 0, err
}

// spill reads b, the bytes of the file at at, then, should it read past them, the file on from
// there, through a buffer of size bytes: the bytes after a name are nearly always in the MiB
// the scan holds, and a reader made for each of a million names would cost a read of the file
// each.
type spill struct {
	b      []byte
	f      *file
	at     int64
	size   int
	i      int
	next   io.ByteScanner // the file after b, once reached
	inNext bool           // the last byte read came from next
}

func (s *spill) ReadByte() (byte, error) {
	if s.i < len(s.b) {
		s.i++
		s.inNext = false
		return s.b[s.i-1], nil
	}
	if s.next == nil {
		s.next = s.f.byteReader(s.at+int64(len(s.b)), s.size)
	}
	s.inNext = true
	return s.next.ReadByte()
}

func (s *spill) UnreadByte() error {
	if s.inNext {
		return s.next.UnreadByte()
	}
	if s.i == 0 {
		return io.ErrNoProgress
	}
	s.i--
	return nil
}

// scanXrefTable checks the subsection headers (first object, count) of a classic
// cross-reference table, read from r.
func scanXrefTable(r io.ByteScanner) error {
	var tok []byte
	eof := false
	next := func() []byte {
		tok = tok[:0]
		c, err := skipSpace(r)
		for err == nil && !isWS(c) {
			if c == '%' { // a comment ends the token, and is skipped before the next
				r.UnreadByte()
				break
			}
			if len(tok) == 1 && (tok[0] == '0' || tok[0] == '+') && c >= '0' && c <= '9' {
				tok = tok[:0] // a leading zero or plus sign: the number is the same without it
			}
			if len(tok) < 256 { // longer, it is no number (20 digits at most) and no keyword
				tok = append(tok, c)
			}
			c, err = r.ReadByte()
		}
		eof = err != nil
		return tok
	}
	for sections := 0; sections < 100000; sections++ {
		t := next()
		if len(t) == 0 || bytes.Equal(t, []byte("trailer")) {
			return nil
		}
		start, err1 := strconv.ParseUint(string(t), 10, 64)
		count, err2 := strconv.ParseUint(string(next()), 10, 64)
		if err1 != nil || err2 != nil {
			return nil // not a table the library will read either
		}
		if start+count > maxObjects+1 {
			return fmt.Errorf("cross-reference section %d %d beyond the limit of %d objects", start, count, maxObjects)
		}
		for k := uint64(0); k < count && !eof; k++ {
			next()
			next()
			// An entry that does not end in n or f ends the table for the library too (it
			// fails there): read no further, which also keeps a file of thousands of
			// "xref 0 8000000" from being read to its end from each of them.
			if t := next(); len(t) != 1 || t[0] != 'n' && t[0] != 'f' {
				return nil
			}
		}
	}
	return nil
}

// checkXref refuses a cross-reference table in which an object stream is itself inside an
// object stream (PDF 32000-1 7.5.7 forbids it; the library recurses without end). It reads
// the library's unexported table through reflection; if the field is not there (another
// version), there is nothing to check.
func checkXref(r *lpdf.Reader) error {
	x := reflect.ValueOf(r).Elem().FieldByName("xref")
	if !x.IsValid() || x.Kind() != reflect.Slice || x.Type().Elem().Kind() != reflect.Struct {
		return nil
	}
	// the fields' positions, found once per table rather than by name for every entry
	et := x.Type().Elem()
	inF, ok1 := et.FieldByName("inStream")
	sF, ok2 := et.FieldByName("stream")
	if !ok1 || !ok2 || inF.Type.Kind() != reflect.Bool || sF.Type.Kind() != reflect.Struct {
		return nil
	}
	idF, ok := sF.Type.FieldByName("id")
	if !ok {
		return nil
	}
	switch idF.Type.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
	default:
		return nil
	}
	n := x.Len()
	inStream := func(i int) (bool, int, bool) {
		e := x.Index(i)
		return e.FieldByIndex(inF.Index).Bool(), int(e.FieldByIndex(sF.Index).FieldByIndex(idF.Index).Uint()), true
	}
	for i := 0; i < n; i++ {
		in, s, ok := inStream(i)
		if !ok {
			return nil
		}
		if !in || s >= n {
			continue
		}
		if sin, _, _ := inStream(s); sin || s == i {
			return fmt.Errorf("object %d is in object stream %d, which is itself in an object stream", i, s)
		}
	}
	return nil
}
