package main

import (
	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/entity"
	"github.com/newsfacts/newsfacts/pipeline/extract"
	"github.com/newsfacts/newsfacts/pipeline/source"
	"github.com/newsfacts/newsfacts/pipeline/split"
	"github.com/newsfacts/newsfacts/rules"
)

// stages returns the per-document work of every command: decode, clean, split, segment,
// extract. The runner calls it from several goroutines; set is read-only.
func stages(c Config, set *rules.Set) pipeline.Process {
	rec, err := entity.Default()
	if err != nil {
		panic("the embedded entity dictionaries do not load: " + err.Error())
	}
	opt := clean.Options{Disable: c.Clean.Disable}
	if lx, err := clean.LexiconFor(set); err == nil {
		opt.Lexicon = lx
	}
	return func(d *pipeline.Doc) {
		if d.Failed() {
			return
		}
		if d.Raw == "" && d.Bytes != nil {
			source.Decode(d)
			if d.Failed() {
				return
			}
		}
		if d.PubDate == "" {
			d.PubDate = c.PubDate
		}
		clean.Stage(d, opt)
		split.Articles(d)
		split.Sentences(d)
		extract.Stage(d, set, rec, nil)
	}
}
