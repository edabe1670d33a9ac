// Command score runs the pipeline with the entity stage in place of the token floor, so the
// entity recognizer can be measured with ../shared/eval/score.py before it is wired into the
// command: it reads {"id","text","pub_date"} lines on stdin and prints one JSON line per
// entity, as `newsfacts extract --input-format jsonl --format jsonl` does.
//
//	go build -o /tmp/entscore ./pipeline/entity/internal/score
//	python3 ../shared/eval/score.py --gold ../shared/eval/pd1998/gold-dev.jsonl \
//	    --cmd /tmp/entscore --entity-precision --kinds person,location,organization -v
//
// With -tokens it prints each sentence's tokens instead (text, then word/pos pairs); with
// -floor it runs extract.Stage as the command does today (the token floor), for comparison.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/entity"
	"github.com/newsfacts/newsfacts/pipeline/extract"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/pipeline/split"
	"github.com/newsfacts/newsfacts/rules"
)

type in struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	PubDate string `json:"pub_date"`
}

type out struct {
	DocID      string `json:"doc_id"`
	Kind       string `json:"kind"`
	Text       string `json:"text"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Normalized string `json:"normalized,omitempty"`
	Role       string `json:"role,omitempty"`
	Rule       string `json:"rule"`
}

func main() {
	tokens := flag.Bool("tokens", false, "print tokens instead of entities")
	floor := flag.Bool("floor", false, "keep the token floor (pos.*) instead of the entity stage")
	flag.Parse()
	var set *rules.Set
	if *floor {
		var err error
		if set, err = rules.Default(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	rec, err := entity.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var docs []*pipeline.Doc
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var j in
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			continue
		}
		docs = append(docs, &pipeline.Doc{ID: j.ID, Raw: j.Text, PubDate: j.PubDate, Format: "jsonl", Pages: 1})
	}
	var wg sync.WaitGroup
	next := make(chan *pipeline.Doc)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range next {
				clean.Stage(d, clean.Options{})
				split.Articles(d)
				split.Sentences(d)
				if *floor {
					extract.Stage(d, set, nil)
					continue
				}
				// Segmentation as extract.Stage does it, without the figure rules, so that
				// the measure does not depend on them.
				rs := []rune(d.Text)
				for i := range d.Sentences {
					s := &d.Sentences[i]
					s.Tokens = segment.Tokens(string(rs[s.Start:s.End]), s.Start)
				}
				entity.Stage(d, rec)
			}
		}()
	}
	for _, d := range docs {
		next <- d
	}
	close(next)
	wg.Wait()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, d := range docs {
		if *tokens {
			rs := []rune(d.Text)
			for _, s := range d.Sentences {
				fmt.Fprintf(w, "S %s %s\n", d.ID, string(rs[s.Start:s.End]))
				var b strings.Builder
				for _, t := range s.Tokens {
					b.WriteString(t.Text + "/" + t.Pos + " ")
				}
				fmt.Fprintf(w, "T %s\n", b.String())
			}
			continue
		}
		for _, e := range d.Entities {
			enc.Encode(out{DocID: d.ID, Kind: e.Kind, Text: e.Text, Start: e.Start, End: e.End, Normalized: e.Normalized, Role: e.Role, Rule: e.Rule})
		}
	}
}
