package main

import (
	"fmt"
	"math"
	"sort"

	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/entity"
	"github.com/newsfacts/newsfacts/pipeline/extract"
	"github.com/newsfacts/newsfacts/pipeline/hugeheap"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/pipeline/source"
	"github.com/newsfacts/newsfacts/pipeline/split"
	"github.com/newsfacts/newsfacts/rules"
)

// engine is everything the stages read, loaded and checked once per command before any
// document is read: the rule set, the OCR lexicon beside it, the entity dictionaries. It is
// read-only afterwards and shared by every worker.
type engine struct {
	rules    *rules.Set
	lexicon  *clean.Lexicon
	entities *entity.Recognizer
}

// loadEngine loads the embedded rules with the configured directories and switches, and the
// dictionaries that go with them. Every command that loads them goes on to process text, so it
// first asks for huge pages for the heap the text will fill (hugeheap: a fifth of a run's CPU
// went to first touches of small pages).
func loadEngine(c Config) (*engine, error) {
	hugeheap.Advise()
	// The embedded entity dictionaries do not depend on the rules: built while the rules load,
	// they are off the path to the first document (10–20 ms of a run's serial start).
	type built struct {
		rec *entity.Recognizer
		err error
	}
	embedded := make(chan built, 1)
	go func() {
		rec, err := entity.Default()
		embedded <- built{rec, err}
	}()
	set, err := rules.LoadWith(c.Rules.Paths, c.Rules.Disable)
	if err != nil {
		return nil, err
	}
	lx, err := clean.LexiconFor(set)
	if err != nil {
		return nil, err
	}
	b := <-embedded
	rec, err := b.rec, b.err
	if extra := entityFiles(set); len(extra) > 0 {
		rec, err = entity.WithFiles(extra) // the embedded ones, extended by the researcher's
	}
	if err != nil {
		return nil, err
	}
	if err := addSegmentWords(set); err != nil {
		return nil, err
	}
	return &engine{rules: set, lexicon: lx, entities: rec}, nil
}

// entityFiles are the entity dictionaries (organizations.txt, people.txt …) a researcher put
// in the rule folders, folder by folder, which extend the embedded ones.
func entityFiles(set *rules.Set) []entity.File {
	var names []string
	for name := range set.Data {
		if entity.IsDataFile(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []entity.File
	for _, name := range names {
		for _, f := range set.Data[name] {
			out = append(out, entity.File{Name: name, Path: f.Path, Data: f.Bytes})
		}
	}
	return out
}

// segmentWordsFile is the name of a researcher's segmentation dictionary in a rules folder.
const segmentWordsFile = "segment_words.txt"

// addSegmentWords gives gse the words of every segment_words.txt in the rule folders.
func addSegmentWords(set *rules.Set) error {
	var words []segment.Word
	for _, f := range set.Data[segmentWordsFile] {
		w, err := segment.ParseWords(f.Path, f.Bytes)
		if err != nil {
			return err
		}
		words = append(words, w...)
	}
	if len(words) == 0 {
		return nil
	}
	return segment.AddWords(words)
}

// cleanOptions are the cleaning options of a command: its switches and the engine's lexicon.
func (en *engine) cleanOptions(c Config) clean.Options {
	return clean.Options{Disable: c.Clean.Disable, Lexicon: en.lexicon}
}

// stages returns the per-document work of every command: decode, clean, split, segment,
// extract. The runner calls it from several goroutines.
func stages(c Config, en *engine) pipeline.Process {
	opt := en.cleanOptions(c)
	return func(d *pipeline.Doc) {
		defer d.DropBytes() // a large file's share of source.BytesInFlight, once processed
		if beforeProcess != nil {
			beforeProcess(d)
		}
		if d.Failed() {
			return
		}
		if d.Raw == "" && (d.Bytes != nil || d.OnDisk != nil) {
			source.DecodeHeld(d)
			if d.Failed() {
				return
			}
		}
		if d.PubDate == "" {
			d.PubDate = c.PubDate
		}
		clean.Stage(d, opt)
		if len(d.Text) > math.MaxInt32 { // offsets are int32, in tokens and in the tables
			d.Fail("process", fmt.Errorf("%s: %d bytes of text in one document, more than 2 GiB: give it as a file, read in parts", d.Source, len(d.Text)))
			return
		}
		// Nothing after cleaning reads the raw text (offsets lead back to it through d.Map),
		// and an archive in one file would hold it, a byte an input byte, through every stage.
		d.Raw = ""
		if d.Abandoned() {
			return
		}
		split.Articles(d)
		split.Sentences(d)
		extract.Stage(d, en.rules, en.entities, nil)
		// No output carries the tokens, and they are much of a processed document's memory
		// (20 bytes a word): a document waiting for its turn in the sink holds less.
		for i := range d.Sentences {
			d.Sentences[i].Tokens = nil
		}
	}
}
