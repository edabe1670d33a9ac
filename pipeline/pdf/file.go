package pdf

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// file is a PDF as the library reads it: r's bytes from off to off+n, that is the file without
// what precedes its header or follows its last %%EOF, with head written over its first bytes
// (a header the library refuses, rewritten) and, when a damaged trailer was mended (mendSize),
// its bytes [cut, skip) read as patch. r is the file on disk, or mem holds the bytes when they
// are in memory: only head and patch are ever copied, so a PDF of tens of MB is not held in
// memory while it is read.
type file struct {
	r         io.ReaderAt
	mem       []byte // r's bytes, when they are in memory (read without copying them)
	off       int64
	n         int64
	head      []byte
	cut, skip int64
	patch     []byte
}

// memFile is the file of the bytes b.
func memFile(b []byte) *file { return &file{r: bytes.NewReader(b), mem: b, n: int64(len(b))} }

// size is the length of the file the library sees.
func (f *file) size() int64 {
	if f.patch == nil {
		return f.n
	}
	return f.n - (f.skip - f.cut) + int64(len(f.patch))
}

func (f *file) ReadAt(p []byte, at int64) (int, error) {
	size := f.size()
	if at < 0 || at >= size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && at < size {
		var m int
		var err error
		switch {
		case f.patch == nil:
			m, err = f.raw(p[n:], at, f.n)
		case at < f.cut:
			m, err = f.raw(p[n:], at, f.cut)
		case at < f.cut+int64(len(f.patch)):
			m = copy(p[n:], f.patch[at-f.cut:])
		default:
			m, err = f.raw(p[n:], at-f.cut-int64(len(f.patch))+f.skip, f.n)
		}
		n, at = n+m, at+int64(m)
		if err != nil {
			return n, err
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// raw reads into p the file's bytes from at (before mending), up to end at most.
func (f *file) raw(p []byte, at, end int64) (int, error) {
	k := min(int64(len(p)), end-at)
	var m int
	var err error
	if f.mem != nil {
		m = copy(p[:k], f.mem[f.off+at:])
	} else {
		m, err = f.r.ReadAt(p[:k], f.off+at)
	}
	if int64(m) < k {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF // the file is shorter than when it was opened
		}
		return m, err
	}
	if at < int64(len(f.head)) {
		copy(p[:k], f.head[at:])
	}
	return m, nil
}

// bytesAt returns the file's bytes [at, at+n) (fewer at its end): the bytes themselves when
// they are in memory (not to be changed), else a copy in buf's memory when it is large enough.
func (f *file) bytesAt(at, n int64, buf ...[]byte) ([]byte, error) {
	n = max(0, min(n, f.size()-at))
	if f.mem != nil && at >= int64(len(f.head)) && at+n <= f.n && (f.patch == nil || at+n <= f.cut) {
		return f.mem[f.off+at : f.off+at+n], nil
	}
	var b []byte
	if len(buf) > 0 && int64(cap(buf[0])) >= n {
		b = buf[0][:n]
	} else {
		b = make([]byte, n)
	}
	m, err := f.ReadAt(b, at)
	if m == len(b) {
		err = nil
	}
	return b[:m], err
}

// How far from the start a header, and from the end the last %%EOF, are looked for. Acrobat
// looks for the header in the first KiB; pdftotext reads files with more before it (a mail or
// HTTP wrapper) or after the %%EOF (zero padding to a block size, junk appended), as far as
// these. The end is looked at in two steps: nearly every file ends within its last 2 KiB.
const (
	maxHeaderAt = 64 << 10
	maxTailJunk = 1 << 20
)

// normalize finds the header (some files carry bytes before it, or say PDF-2.0, which the
// library refuses) and drops what follows the last %%EOF.
func (f *file) normalize() error {
	head, err := f.bytesAt(0, maxHeaderAt+9)
	if err != nil {
		return err
	}
	i := bytes.Index(head[:min(len(head), maxHeaderAt+len("%PDF-"))], []byte("%PDF-")) // at maxHeaderAt at the latest
	if i < 0 {
		return ErrNotPDF
	}
	h := bytes.Clone(head[i:min(len(head), i+9)])
	f.off, f.n = f.off+int64(i), f.n-int64(i)
	var tail []byte
	j := -1
	for _, n := range []int64{2 << 10, maxTailJunk} {
		if tail, err = f.bytesAt(max(0, f.n-n), n); err != nil {
			return err
		}
		if j = bytes.LastIndex(tail, []byte("%%EOF")); j >= 0 || int64(len(tail)) == f.n {
			break
		}
	}
	if j < 0 {
		return fmt.Errorf("%w: no %%%%EOF in the last %d MiB (truncated?)", ErrDamaged, maxTailJunk>>20)
	}
	f.n = f.n - int64(len(tail)) + int64(j) + int64(len("%%EOF"))
	if !(len(h) == 9 && h[5] == '1' && h[6] == '.' && h[7] >= '0' && h[7] <= '7' && (h[8] == '\n' || h[8] == '\r')) {
		f.head = []byte("%PDF-1.7\n")[:min(9, f.n)]
	}
	return nil
}

// byteReader reads the file from at to its end a byte at a time, through a buffer of size bytes
// for a file on disk.
func (f *file) byteReader(at int64, size int) io.ByteScanner {
	if f.mem != nil && at >= int64(len(f.head)) && f.patch == nil {
		return bytes.NewReader(f.mem[f.off+at : f.off+f.n])
	}
	return bufio.NewReaderSize(io.NewSectionReader(f, at, f.size()-at), size)
}

// indexIn is the offset of the first w in the file's bytes [from, to), or -1. It reads a MiB
// at a time.
func (f *file) indexIn(w string, from, to int64) (int64, error) {
	const chunk = 1 << 20
	var buf []byte
	for pos := from; pos < to; pos += chunk {
		b, err := f.bytesAt(pos, min(chunk+int64(len(w))-1, to-pos), buf)
		if err != nil {
			return -1, err
		}
		if f.mem == nil {
			buf = b
		}
		if i := bytes.Index(b, []byte(w)); i >= 0 {
			return pos + int64(i), nil
		}
	}
	return -1, nil
}

// scan calls fn for each place at in the file where one of words begins, in file order, with
// the bytes from there: at least the next window bytes (fewer at the end of the file). It reads
// the file a MiB at a time.
func (f *file) scan(window int64, fn func(at int64, b []byte) error, words ...string) error {
	const chunk = 1 << 20
	size := f.size()
	var mem []byte // one buffer for every chunk of a file on disk
	for pos := int64(0); pos < size; pos += chunk {
		buf, err := f.bytesAt(pos, chunk+window, mem)
		if err != nil {
			return err
		}
		if f.mem == nil {
			mem = buf
		}
		own := min(chunk, len(buf)) // a word found here begins before the next chunk
		next := make([]int, len(words))
		for k, w := range words {
			next[k] = indexFrom(buf[:min(len(buf), own+len(w)-1)], w, 0)
		}
		for {
			k := -1
			for j, at := range next {
				if at >= 0 && (k < 0 || at < next[k]) {
					k = j
				}
			}
			if k < 0 {
				break
			}
			at := next[k]
			if err := fn(pos+int64(at), buf[at:]); err != nil {
				return err
			}
			w := words[k]
			next[k] = indexFrom(buf[:min(len(buf), own+len(w)-1)], w, at+1)
		}
	}
	return nil
}

// indexFrom is the index of w in b at or after from, or -1.
func indexFrom(b []byte, w string, from int) int {
	if from > len(b) {
		return -1
	}
	i := bytes.Index(b[from:], []byte(w))
	if i < 0 {
		return -1
	}
	return from + i
}

// lastIndex is the offset of the last w in the file, or -1. It reads backwards from the end,
// 64 KiB at a time: the word sought (startxref) is near the end.
func (f *file) lastIndex(w string) (int64, error) {
	const chunk = 64 << 10
	end := f.size()
	for end > 0 {
		from := max(0, end-chunk)
		b, err := f.bytesAt(from, end-from+int64(len(w))-1)
		if err != nil {
			return -1, err
		}
		if i := bytes.LastIndex(b, []byte(w)); i >= 0 {
			return from + int64(i), nil
		}
		end = from
	}
	return -1, nil
}
