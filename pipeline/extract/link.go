package extract

import (
	"slices"
	"strings"

	"github.com/newsfacts/newsfacts/pipeline"
)

// metricPrefix are words gse keeps apart that belong to the metric they precede:
// 年网络销售额, 上市企业 (gse tags 上市 a place), 人均收入.
var metricPrefix = map[string]bool{
	"年": true, "全年": true, "月": true, "日": true, "人均": true, "上市": true, "新增": true,
	"出口": true, "进口": true, "规上": true,
}

// sourceMarkers introduce where a figure comes from, not whom it is about: 据国家统计局.
var sourceMarkers = []string{"据", "根据", "来自", "来源于", "援引"}

// linkSubjects sets each figure's subject: the nearest organisation, place or person named
// before it in its sentence (温岭已拥有上市企业5家 → 温岭), unless that name is the source of
// the figure (据国家统计局……). A figure whose sentence names nobody before it keeps none.
// texts are the sentences' texts (sentenceTexts).
func linkSubjects(d *pipeline.Doc, texts []string) {
	of := entitiesBySentence(d)
	for i := range d.Facts {
		f := &d.Facts[i]
		switch f.Kind {
		case "money", "count", "percent", "quantity", "number":
		default:
			continue
		}
		var best *pipeline.Entity
		near := of(f.Sentence)
		for k := range near {
			e := &near[k]
			if e.End <= f.Start && (best == nil || e.Start > best.Start) && !strings.Contains(f.Metric, e.Text) {
				best = e
			}
		}
		if best == nil {
			continue
		}
		if f.Sentence >= 0 && f.Sentence < len(texts) && !afterSource(texts[f.Sentence], best.Start-d.Sentences[f.Sentence].Start) {
			f.Subject = best.Text
		}
	}
}

// entitiesBySentence returns the entities of each sentence of d, as a function of the sentence's
// index, in their order in d.Entities; a byline's reporter is left out, as it is not what the
// figures are about. The entities of the sentences d has are counted first and laid out in one
// slice, sentence after sentence, so that no per-sentence list grows; an index outside the
// sentences (none, from the pipeline) has a map of its own.
func entitiesBySentence(d *pipeline.Doc) func(sentence int) []pipeline.Entity {
	ns := len(d.Sentences)
	first := make([]int, ns+1) // the entities of sentence s: all[first[s]:first[s+1]]
	var other map[int][]pipeline.Entity
	for _, e := range d.Entities {
		switch {
		case e.Role != "":
		case e.Sentence >= 0 && e.Sentence < ns:
			first[e.Sentence+1]++
		default:
			if other == nil {
				other = map[int][]pipeline.Entity{}
			}
			other[e.Sentence] = append(other[e.Sentence], e)
		}
	}
	for s := range ns {
		first[s+1] += first[s]
	}
	all := make([]pipeline.Entity, first[ns])
	next := slices.Clone(first[:ns]) // where the next entity of each sentence goes
	for _, e := range d.Entities {
		if e.Role == "" && e.Sentence >= 0 && e.Sentence < ns {
			all[next[e.Sentence]] = e
			next[e.Sentence]++
		}
	}
	return func(s int) []pipeline.Entity {
		if s >= 0 && s < ns {
			return all[first[s]:first[s+1]]
		}
		return other[s]
	}
}

// afterSource reports whether the name at code point pos of its sentence's text follows a
// source marker directly. (Searching the sentence, not the document, keeps this linear: a
// 2.9 MB single-document archive has tens of thousands of figures.)
func afterSource(sentence string, pos int) bool {
	before := sentence[:byteIndex(sentence, pos)]
	for _, m := range sourceMarkers {
		if strings.HasSuffix(before, m) {
			return true
		}
	}
	return false
}

// byteIndex is the byte offset of code point pos in s.
func byteIndex(s string, pos int) int {
	n := 0
	for b := range s {
		if n == pos {
			return b
		}
		n++
	}
	return len(s)
}
