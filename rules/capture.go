package rules

import (
	"regexp/syntax"
	"sync"

	"github.com/newsfacts/newsfacts/pipeline"
)

// Once a rule's automaton has found where a match begins and ends, its groups are read here
// instead of by Go's regexp. The walk is the one regexp's backtracker makes over the match's
// text: depth first, the preferred branch of an alternation first, each (instruction,
// position) visited once; the first path that reaches the end of the text is the one whose
// groups count. regexp in longest mode keeps exactly that path: a later path of the same length
// never replaces it. What this saves is regexp's set-up per call, its allocations, and its
// range search per character: a character's class in the automaton says which instructions
// match it.

// maxCaptureBits bounds the visited set (instructions × positions), as regexp bounds its own;
// larger texts go to the regexp.
const maxCaptureBits = 256 * 1024

// captureJob is a pending step of the walk: an alternation's other branch (pc, pos), or, when
// restore is set, a group offset to put back (slot pc's capture, old value pos).
type captureJob struct {
	pc      uint32
	pos     int32
	restore bool
}

type captureScratch struct {
	visited []uint64
	jobs    []captureJob
	class   []int32 // the class of the character at each byte offset that begins one
}

var capturePool = sync.Pool{New: func() any { return new(captureScratch) }}

// captures fills caps (two offsets per group, group 0 first) with the groups of the match
// that spans all of text, as regexp's FindStringSubmatchIndex(text) returns them when its
// match is the whole text. It returns false when it cannot tell (text too long, or no path
// reaches the end, which the automaton rules out); caps is then undefined.
func (d *dfa) captures(text string, caps []int) bool {
	prog := d.prog
	n := len(prog.Inst)
	if n*(len(text)+1) > maxCaptureBits {
		return false
	}
	sc := capturePool.Get().(*captureScratch)
	defer capturePool.Put(sc)
	words := (n*(len(text)+1) + 63) / 64
	if cap(sc.visited) < words {
		sc.visited = make([]uint64, words)
	}
	visited := sc.visited[:words]
	clear(visited)
	for i := range caps {
		caps[i] = -1
	}
	if cap(sc.class) < len(text) {
		sc.class = make([]int32, len(text))
	}
	class := sc.class[:len(text)]
	for pos := 0; pos < len(text); {
		c, size := pipeline.DecodeRune(text[pos:])
		class[pos] = int32(d.class(c))
		pos += size
	}
	// viable reports whether a path from pc at pos can go on: read the character there, or
	// reach Match at the end. The walk skips the others, which fail at once anyway.
	viable := func(pc uint32, pos int) bool {
		if pos == len(text) {
			return d.endOK[pc/64]&(1<<(pc%64)) != 0
		}
		c := int(class[pos])
		return d.viable[int(pc)*d.classWords+c/64]&(1<<(c%64)) != 0
	}
	// visit reports whether (pc, pos) is new and viable, and marks it.
	visit := func(pc uint32, pos int) bool {
		if !viable(pc, pos) {
			return false
		}
		k := uint(n*pos) + uint(pc)
		if visited[k/64]&(1<<(k%64)) != 0 {
			return false
		}
		visited[k/64] |= 1 << (k % 64)
		return true
	}
	jobs := sc.jobs[:0]
	defer func() { sc.jobs = jobs[:0] }()
	if visit(uint32(prog.Start), 0) {
		jobs = append(jobs, captureJob{pc: uint32(prog.Start)})
	}
	for len(jobs) > 0 {
		j := jobs[len(jobs)-1]
		jobs = jobs[:len(jobs)-1]
		if j.restore {
			caps[prog.Inst[j.pc].Arg] = int(j.pos)
			continue
		}
		pc, pos := j.pc, int(j.pos)
		other := j.pos < 0 // an alternation's second branch: pos is stored as -pos-1
		if other {
			pos = -int(j.pos) - 1
			pc = prog.Inst[pc].Arg
			if !visit(pc, pos) {
				continue
			}
		}
	step:
		for {
			in := &prog.Inst[pc]
			switch in.Op {
			case syntax.InstAlt, syntax.InstAltMatch:
				if viable(in.Arg, pos) {
					jobs = append(jobs, captureJob{pc: pc, pos: int32(-pos - 1)})
				}
				pc = in.Out
			case syntax.InstCapture:
				if int(in.Arg) < len(caps) {
					jobs = append(jobs, captureJob{pc: pc, pos: int32(caps[in.Arg]), restore: true})
					caps[in.Arg] = pos
				}
				pc = in.Out
			case syntax.InstNop:
				pc = in.Out
			case syntax.InstMatch:
				if pos == len(text) {
					if len(caps) > 1 {
						caps[0], caps[1] = 0, pos
					}
					return true
				}
				break step
			case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
				if pos == len(text) {
					break step
				}
				k := int(class[pos])*d.words*64 + int(pc)
				if d.sigs[k/64]&(1<<(k%64)) == 0 {
					break step
				}
				_, size := pipeline.DecodeRune(text[pos:])
				pos += size
				pc = in.Out
			default: // InstFail; empty-width assertions have no automaton
				break step
			}
			if !visit(pc, pos) {
				break step
			}
		}
	}
	return false
}
