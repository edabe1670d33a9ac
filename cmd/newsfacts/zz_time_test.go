package main

import (
	"testing"
	"time"

	"github.com/newsfacts/newsfacts/pipeline/clean"
	"github.com/newsfacts/newsfacts/pipeline/entity"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/rules"
)

func TestZZTime(t *testing.T) {
	t0 := time.Now()
	set, err := rules.LoadWith(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	lx, _ := clean.LexiconFor(set)
	t2 := time.Now()
	rec, _ := entity.WithFiles(entityFiles(set))
	t3 := time.Now()
	segment.Tokens("温岭已拥有上市企业5家。", 0)
	t4 := time.Now()
	_, _ = lx, rec
	t.Logf("rules %v lexicon %v entity %v segment %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3))
}
