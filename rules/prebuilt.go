package rules

import (
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"errors"
	"regexp/syntax"
	"sync"
)

// Every process used to build the automata of the rules it ran: 30–50 ms of CPU for the default
// set, about 2% of a run of the corpus. The automata of the default set are built once instead,
// when the set changes, and shipped in the binary (automata.bin): a process decodes the ones it
// needs, about 15 µs each. A rule a researcher wrote or changed is not in the file and gets its
// automaton built as before.
//
// The file holds each automaton under its key (automatonKey) with the program it was built from,
// so it needs nothing compiled at run time. It is used only when it was built by the code in
// force: its header holds a hash of the files that build automata (builderSources); after any
// change to them the file is ignored (every automaton is built) until it is written again:
//
//	go test ./rules -run TestPrebuiltAutomata -update
//
// which TestPrebuiltAutomata asks for when the file is stale or lacks an automaton of the
// default set; it also checks that each automaton the file holds equals a fresh build.

//go:embed automata.bin
var prebuiltFile string

// The sources whose code decides what an automaton is: the builders (dfa.go, context.go) and
// this file, which chooses the builder by key and encodes the result.
//
//go:embed dfa.go context.go prebuilt.go
var builderSources embed.FS

// prebuiltMagic begins automata.bin; prebuiltFormat changes with the layout of an entry.
const (
	prebuiltMagic  = "newsfacts-automata\n"
	prebuiltFormat = 1
)

// builderHash is the hash of builderSources, which the file's header must hold.
func builderHash() [sha256.Size]byte {
	h := sha256.New()
	for _, name := range []string{"dfa.go", "context.go", "prebuilt.go"} {
		src, _ := builderSources.ReadFile(name) // embedded: cannot fail
		h.Write(binary.AppendUvarint(nil, uint64(len(src))))
		h.Write(src)
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// automatonKey is the key of an automaton: its role, then its pattern (expanded). The roles:
// 'a' a rule's pattern (newDFAOf), 'b' a reject_before pattern and 'f' a reject_after one
// (contextDFA).
func automatonKey(role byte, pattern string) string { return string(role) + pattern }

// buildAutomatonFor builds the automaton of key afresh (nil when its pattern has none).
func buildAutomatonFor(key string) *dfa {
	pattern := key[1:]
	switch key[0] {
	case 'a':
		return newDFA(pattern)
	case 'b':
		return contextDFA(pattern, true)
	case 'f':
		return contextDFA(pattern, false)
	}
	return nil
}

// prebuilt is automata.bin read: each key's entry, still encoded; nil when the file is not
// for the code in force.
var prebuilt = sync.OnceValue(func() map[string]string {
	entries, err := readPrebuilt(prebuiltFile)
	if err != nil {
		return nil
	}
	return entries
})

// errStale is readPrebuilt's answer for a file written by other code than the one in force.
var errStale = errors.New("automata.bin was written by other code than this binary's: go test ./rules -run TestPrebuiltAutomata -update")

// readPrebuilt returns the entries of an automata file by key, or why it cannot be used.
func readPrebuilt(file string) (map[string]string, error) {
	r := decoder{s: file}
	if r.fixed(len(prebuiltMagic)) != prebuiltMagic || r.uvarint() != prebuiltFormat {
		return nil, errors.New("automata.bin: not an automata file of this format")
	}
	h := builderHash()
	if r.fixed(len(h)) != string(h[:]) {
		return nil, errStale
	}
	n := r.uvarint()
	if n > r.left()/2 { // an entry takes two bytes at least
		return nil, errors.New("automata.bin: truncated or corrupt")
	}
	entries := make(map[string]string, n)
	for range n {
		key := r.str()
		entries[key] = r.str()
	}
	if r.err != nil || r.left() != 0 {
		return nil, errors.New("automata.bin: truncated or corrupt")
	}
	return entries, nil
}

// prebuiltDFA returns the automaton of key from automata.bin, decoded afresh; ok is false when
// the file does not hold it.
func prebuiltDFA(key string) (d *dfa, ok bool) {
	entry, ok := prebuilt()[key]
	if !ok {
		return nil, false
	}
	d, err := decodeDFA(entry)
	if err != nil {
		return nil, false // cannot happen: TestPrebuiltAutomata decodes every entry
	}
	return d, true
}

// writePrebuilt encodes the automata of keys, built afresh, as an automata file.
func writePrebuilt(keys []string) []byte {
	out := append([]byte(prebuiltMagic), binary.AppendUvarint(nil, prebuiltFormat)...)
	h := builderHash()
	out = append(out, h[:]...)
	out = binary.AppendUvarint(out, uint64(len(keys)))
	for _, k := range keys {
		out = appendStr(out, k)
		out = appendStr(out, string(encodeDFA(buildAutomatonFor(k))))
	}
	return out
}

// encodeDFA encodes d (nil too: a pattern without an automaton).
func encodeDFA(d *dfa) []byte {
	if d == nil {
		return []byte{0}
	}
	out := []byte{1}
	u := func(v int) { out = binary.AppendVarint(out, int64(v)) }
	runes := func(rs []rune) {
		if rs == nil {
			u(-1)
			return
		}
		u(len(rs))
		for _, r := range rs {
			u(int(r))
		}
	}
	words := func(ws []uint64) {
		if ws == nil {
			u(-1)
			return
		}
		u(len(ws))
		for _, w := range ws {
			out = binary.LittleEndian.AppendUint64(out, w)
		}
	}
	bools := func(bs []bool) {
		u(len(bs))
		for _, b := range bs {
			out = append(out, boolByte(b))
		}
	}
	runes(d.bounds)
	u(len(d.elem))
	for _, e := range d.elem {
		u(int(e))
	}
	u(d.nclass)
	for _, p := range d.pages {
		out = binary.LittleEndian.AppendUint16(out, p)
	}
	// The blocks in runs of one class: most pages hold a single class.
	u(len(d.blocks))
	for i := 0; i < len(d.blocks); {
		j := i + 1
		for j < len(d.blocks) && d.blocks[j] == d.blocks[i] {
			j++
		}
		u(j - i)
		out = append(out, d.blocks[i])
		i = j
	}
	u(len(d.next))
	for _, n := range d.next {
		out = binary.LittleEndian.AppendUint16(out, uint16(n))
	}
	bools(d.match)
	bools(d.matchEnd)
	u(int(d.begin))
	u(d.edge)
	runes(d.edgeRunes)
	out = append(out, boolByte(d.reversed))
	u(len(d.prog.Inst))
	n := 0
	for _, in := range d.prog.Inst {
		n += len(in.Rune)
	}
	u(n) // the runes of every instruction, which decodeDFA allocates at once
	for _, in := range d.prog.Inst {
		u(int(in.Op))
		u(int(in.Out))
		u(int(in.Arg))
		runes(in.Rune)
	}
	u(d.prog.Start)
	u(d.prog.NumCap)
	words(d.sigs)
	u(d.words)
	words(d.viable)
	u(d.classWords)
	words(d.endOK)
	return out
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func appendStr(out []byte, s string) []byte {
	return append(binary.AppendUvarint(out, uint64(len(s))), s...)
}

// decodeDFA decodes what encodeDFA encoded.
func decodeDFA(s string) (*dfa, error) {
	r := decoder{s: s}
	if r.fixed(1) != "\x01" {
		if r.err == nil && r.left() == 0 {
			return nil, nil // the pattern has no automaton
		}
		return nil, errors.New("automata.bin: corrupt entry")
	}
	d := &dfa{}
	d.bounds = r.runes()
	d.elem = make([]int32, r.length(1, false))
	for i := range d.elem {
		d.elem[i] = int32(r.varint())
	}
	d.nclass = r.varint()
	for i := range d.pages {
		d.pages[i] = r.uint16()
	}
	nb := r.varint()
	if nb < 0 || nb > 1<<24 { // 65,536 pages at most: the pages' index is a uint16
		r.fail()
		nb = 0
	}
	d.blocks = make([]uint8, nb)
	for i := 0; i < len(d.blocks); {
		n := r.varint()
		c := r.fixed(1)
		if n <= 0 || n > len(d.blocks)-i || c == "" {
			r.fail()
			break
		}
		for end := i + n; i < end; i++ {
			d.blocks[i] = c[0]
		}
	}
	next := r.fixed(2 * r.length(2, false))
	d.next = make([]int16, len(next)/2)
	for i := range d.next {
		d.next[i] = int16(uint16(next[2*i]) | uint16(next[2*i+1])<<8)
	}
	d.match = r.bools()
	d.matchEnd = r.bools()
	d.begin = int16(r.varint())
	d.edge = r.varint()
	d.edgeRunes = r.runes()
	d.reversed = r.fixed(1) == "\x01"
	prog := &syntax.Prog{Inst: make([]syntax.Inst, r.length(3, false))}
	pool := make([]rune, r.length(1, false))
	for i := range prog.Inst {
		in := &prog.Inst[i]
		in.Op = syntax.InstOp(r.varint())
		in.Out = uint32(r.varint())
		in.Arg = uint32(r.varint())
		if n := r.length(1, true); n >= 0 {
			if n > len(pool) {
				r.fail()
				break
			}
			in.Rune, pool = pool[:n:n], pool[n:]
			for k := range in.Rune {
				in.Rune[k] = rune(r.varint())
			}
		}
	}
	prog.Start = r.varint()
	prog.NumCap = r.varint()
	d.prog = prog
	d.sigs = r.words()
	d.words = r.varint()
	d.viable = r.words()
	d.classWords = r.varint()
	d.endOK = r.words()
	if r.err != nil || r.left() != 0 {
		return nil, errors.New("automata.bin: corrupt entry")
	}
	return d, nil
}

// decoder reads what the encoders above append, from s[at:]; its first error sticks, and every
// read after it returns zero values.
type decoder struct {
	s   string
	at  int
	err error
}

var errShort = errors.New("automata.bin: truncated")

func (r *decoder) fail() {
	if r.err == nil {
		r.err = errShort
	}
	r.at = len(r.s)
}

// left is how many bytes are left to read.
func (r *decoder) left() int { return len(r.s) - r.at }

func (r *decoder) fixed(n int) string {
	if r.err != nil || n < 0 || n > r.left() {
		r.fail()
		return ""
	}
	r.at += n
	return r.s[r.at-n : r.at]
}

func (r *decoder) uvarint() int {
	var v uint64
	for shift := 0; shift < 42; shift += 7 {
		if r.at >= len(r.s) {
			r.fail()
			return 0
		}
		b := r.s[r.at]
		r.at++
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return int(v)
		}
	}
	r.fail()
	return 0
}

func (r *decoder) varint() int {
	u := r.uvarint()
	if u&1 != 0 {
		return ^(u >> 1)
	}
	return u >> 1
}

// length reads a count of items of at least minBytes bytes each, checked against what is left;
// -1 (a nil slice) when nilOK.
func (r *decoder) length(minBytes int, nilOK bool) int {
	n := r.varint()
	if n == -1 && nilOK {
		return -1
	}
	if n < 0 || n*minBytes > r.left() {
		r.fail()
		return 0
	}
	return n
}

func (r *decoder) str() string { return r.fixed(r.uvarint()) }

func (r *decoder) uint16() uint16 {
	b := r.fixed(2)
	if len(b) < 2 {
		return 0
	}
	return uint16(b[0]) | uint16(b[1])<<8
}

// runes reads runes encoded as a count and varints; a count of -1 is nil.
func (r *decoder) runes() []rune {
	n := r.length(1, true)
	if n < 0 {
		return nil
	}
	rs := make([]rune, n)
	for i := range rs {
		rs[i] = rune(r.varint())
	}
	return rs
}

// words reads 64-bit words encoded as a count and 8 bytes each; a count of -1 is nil.
func (r *decoder) words() []uint64 {
	n := r.length(8, true)
	if n < 0 {
		return nil
	}
	b := r.fixed(8 * n)
	ws := make([]uint64, len(b)/8)
	for i := range ws {
		w := b[8*i : 8*i+8]
		ws[i] = uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	}
	return ws
}

func (r *decoder) bools() []bool {
	b := r.fixed(r.length(1, false))
	bs := make([]bool, len(b))
	for i := range bs {
		bs[i] = b[i] == 1
	}
	return bs
}
