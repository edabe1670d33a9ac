package pipeline

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Tag is a part of speech (gse's n, nr, ns, v, x …, or one a researcher's word list gives) as
// a small number, so that a Token holds no string. TagOf numbers each name once for the whole
// process; the zero Tag is the empty name.
type Tag uint16

// tags is the process's table of part-of-speech names, by Tag. It only grows: readers load
// the current slice without a lock, TagOf appends under mu and publishes a new slice.
var tags struct {
	mu    sync.Mutex
	index map[string]Tag
	names atomic.Pointer[[]string]
}

func init() {
	names := []string{""}
	tags.names.Store(&names)
	tags.index = map[string]Tag{"": 0}
}

// TagOf returns the Tag of a part-of-speech name, numbering it on its first use. It takes a
// lock: callers look their names up once (segment does when it loads a dictionary), not for
// every token.
func TagOf(name string) Tag {
	tags.mu.Lock()
	defer tags.mu.Unlock()
	if g, ok := tags.index[name]; ok {
		return g
	}
	old := *tags.names.Load()
	if len(old) > 1<<16-1 {
		panic(fmt.Sprintf("pipeline: more than %d parts of speech (the last %q)", len(old), name))
	}
	g := Tag(len(old))
	names := append(old[:len(old):len(old)], name) // a new array: readers keep the old one
	tags.names.Store(&names)
	tags.index[name] = g
	return g
}

// String returns the part-of-speech name of g.
func (g Tag) String() string { return (*tags.names.Load())[g] }
