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

// engine is everything the stages read, loaded and checked once per command before any
// document is read: the rule set, the OCR lexicon beside it, the entity dictionaries. It is
// read-only afterwards and shared by every worker.
type engine struct {
	rules    *rules.Set
	lexicon  *clean.Lexicon
	entities *entity.Recognizer
}

// loadEngine loads the embedded rules with the configured directories and switches, and the
// dictionaries that go with them.
func loadEngine(c Config) (*engine, error) {
	set, err := rules.LoadWith(c.Rules.Paths, c.Rules.Disable)
	if err != nil {
		return nil, err
	}
	lx, err := clean.LexiconFor(set)
	if err != nil {
		return nil, err
	}
	rec, err := entity.Default()
	if err != nil {
		return nil, err
	}
	return &engine{rules: set, lexicon: lx, entities: rec}, nil
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
		extract.Stage(d, en.rules, en.entities, nil)
	}
}
