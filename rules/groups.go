package rules

import (
	"fmt"
	"slices"
	"strings"
)

// A match's named groups reach its normaliser as a groups value: an array indexed by the group
// names the normalisers know (groupID), which a rule resolves from its pattern's group numbers
// once (Rule.slots), instead of a map built for each match and searched by name for each read.

// groupID is a group name a normaliser reads.
type groupID uint8

// The group names normalisers read: those of every normaliser's groups, and q1 and q2, the
// qualifier groups read by name (all qualifier groups are also in groups.quals).
const (
	gNum groupID = iota
	gMult
	gNum2
	gUnit
	gHalf
	gNeg
	gJiao
	gFen
	gQ1
	gQ2
	gYear
	gYY
	gEra
	gEranum
	gRel
	gMonth
	gRelmonth
	gDay
	gLday
	gPart
	gYear2
	gYY2
	gRel2
	gMonth2
	gDay2
	gRelday
	gRelday2
	gAgo
	gAgounit
	gWeek
	gWeekday
	gNth
	gNthunit
	gFirstn
	gLastn
	gNunit
	gCentury
	gDecade
	gHoliday
	numGroups
)

// groupNames are the names of the groupIDs, in their order.
var groupNames = [numGroups]string{
	"num", "mult", "num2", "unit", "half", "neg", "jiao", "fen", "q1", "q2",
	"year", "yy", "era", "eranum", "rel", "month", "relmonth", "day", "lday", "part",
	"year2", "yy2", "rel2", "month2", "day2",
	"relday", "relday2", "ago", "agounit", "week", "weekday", "nth", "nthunit", "firstn", "lastn", "nunit",
	"century", "decade", "holiday",
}

// groupIDs finds a groupID by name.
var groupIDs = func() map[string]groupID {
	m := make(map[string]groupID, numGroups)
	for i, name := range groupNames {
		m[name] = groupID(i)
	}
	return m
}()

// groups are the non-empty named groups of one match: v by name, and quals the qualifier
// groups (names beginning with q) in the order of Rule.qualifierGroups. When a name occurs
// twice in a pattern, the later group that captured text counts.
type groups struct {
	v     [numGroups]string
	quals []string
}

// slot says where group number i of a rule's pattern goes in a groups: v[id] when known, and
// quals[qual] when it is a qualifier group (qual >= 0). core: a named group that is no
// qualifier, where the figure proper may begin (Candidate.CoreStart).
type slot struct {
	id    groupID
	known bool
	core  bool
	qual  int
}

// slots returns where each of the rule's groups goes, by group number (0, the whole match,
// goes nowhere); worked out once, with qualifierGroups.
func (r *Rule) slots() []slot {
	r.qualifierGroups()
	return r.groupSlots
}

// resolveSlots fills r.groupSlots; qualifierGroups calls it once r.qGroups is known.
func (r *Rule) resolveSlots() {
	names := r.names
	r.groupSlots = make([]slot, len(names))
	for i, name := range names {
		s := slot{qual: -1}
		if i > 0 && name != "" {
			s.id, s.known = groupIDs[name]
			if strings.HasPrefix(name, "q") {
				s.qual = slices.Index(r.qGroups, name)
			} else {
				s.core = true
			}
		}
		r.groupSlots[i] = s
	}
}

// fill sets g to the groups of the match whose group offsets in text are loc (two a group,
// -1 for a group that did not take part), for rule r.
func (g *groups) fill(r *Rule, text string, loc []int) {
	sl := r.slots()
	g.v = [numGroups]string{}
	g.quals = slices.Grow(g.quals[:0], len(r.qGroups))[:len(r.qGroups)]
	clear(g.quals)
	for i := 1; i < len(sl) && 2*i+1 < len(loc); i++ {
		s := sl[i]
		if (!s.known && s.qual < 0) || loc[2*i] < 0 || loc[2*i] == loc[2*i+1] {
			continue
		}
		v := text[loc[2*i]:loc[2*i+1]]
		if s.known {
			g.v[s.id] = v
		}
		if s.qual >= 0 {
			g.quals[s.qual] = v
		}
	}
}

// groupsOf returns rule r's groups from a map by name (a Candidate's Groups), for tests and
// callers that hold one; names of no group of r are left out, as a match never has them.
func groupsOf(r *Rule, m map[string]string) (*groups, error) {
	g := &groups{quals: make([]string, len(r.qualifierGroups()))}
	for name, v := range m {
		if v == "" {
			continue
		}
		known := false
		if id, ok := groupIDs[name]; ok {
			g.v[id], known = v, true
		}
		if k := slices.Index(r.qGroups, name); k >= 0 {
			g.quals[k], known = v, true
		}
		if !known {
			return nil, fmt.Errorf("rule %s: no normaliser reads a group %q", r.ID, name)
		}
	}
	return g, nil
}

// anyQual reports whether some qualifier group captured text.
func (g *groups) anyQual() bool {
	for _, q := range g.quals {
		if q != "" {
			return true
		}
	}
	return false
}
