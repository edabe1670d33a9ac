package rules

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a rule file, with where it is and, when there is one, a hint.
type Error struct {
	File   string
	Line   int
	Col    int
	Msg    string
	Source string // the offending line, shown with a caret
	Hint   string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	if e.Source != "" {
		fmt.Fprintf(&b, "\n  | %s\n  | %s^", e.Source, strings.Repeat(" ", max(0, e.Col-1)))
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "\n  hint: %s", e.Hint)
	}
	return b.String()
}

// ErrorList collects every problem found while loading, so that a researcher sees them all at
// once, sorted by file and line.
type ErrorList []*Error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	fmt.Fprintf(&b, "\n(%d problems)", len(l))
	return b.String()
}

// Err returns nil for an empty list, else the sorted list.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Col < l[j].Col
	})
	return l
}
