package output

import (
	"testing"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/output/manifest"
	"github.com/newsfacts/newsfacts/pipeline"
)

// sampleParts is the sample document as a file read in two parts, each the sample's text, with
// the second part's Before as the runner sets it.
func sampleParts(t *testing.T) (first, second *pipeline.Doc) {
	first, second = sampleDoc(t), sampleDoc(t)
	first.RawChars = utf8.RuneCountInString(first.Raw)
	second.RawChars = first.RawChars
	first.Part = pipeline.Part{Index: 0, More: true}
	second.Part = pipeline.Part{Index: 1, Byte: first.Size}
	second.Part.Before.Add(first)
	return first, second
}

// TestDatasetParts: a file read in parts is one input: one documents row with the totals of
// its parts, written with the last, rows whose offsets and numbers count from the start of the
// file, and one manifest entry whose row spans cover every part's rows.
func TestDatasetParts(t *testing.T) {
	dir := t.TempDir()
	first, second := sampleParts(t)
	writeDataset(t, dir, "run1", first, second, failedDoc())

	n := utf8.RuneCountInString(sampleText)
	raw := utf8.RuneCountInString(rawPrefix + sampleText)
	documents := readAll[DocumentRow](t, dir, "documents")
	if len(documents) != 2 || documents[0].DocID != sampleID || documents[1].DocID != failedID {
		t.Fatalf("documents: %+v", documents)
	}
	d := documents[0]
	if d.Status != "ok" || d.Bytes != 2*first.Size || d.Chars != int32(2*n) || d.Articles != 4 || d.Sentences != 6 ||
		d.Facts != 4 || d.Entities != 2 || d.ElapsedMS != 25 || d.Error != nil {
		t.Errorf("the file's row: %+v", d)
	}

	_, _, wantFacts, _ := Rows(sampleDoc(t), rulesVersion, toolVersion)
	facts := readAll[FactRow](t, dir, "facts")
	if len(facts) != 4 {
		t.Fatalf("%d facts, want 4", len(facts))
	}
	for i, f := range facts[2:] {
		w := wantFacts[i]
		if f.Start != w.Start+int32(n) || f.End != w.End+int32(n) || f.RawStart != w.RawStart+int32(raw) ||
			f.RawEnd != w.RawEnd+int32(raw) || f.Sentence != w.Sentence+3 || f.Article != w.Article+2 ||
			f.Text != w.Text || f.Context != w.Context {
			t.Errorf("second part's fact %d: %+v\nwant the first's shifted: %+v", i, f, w)
		}
	}
	articles := readAll[ArticleRow](t, dir, "articles")
	if len(articles) != 4 || articles[3].Article != 3 || articles[3].End != int32(2*n) || articles[3].Text != articles[1].Text ||
		articles[2].Start != int32(n) || articles[2].RawStart != articles[0].RawStart+int32(raw) {
		t.Errorf("articles: %+v", articles)
	}
	entities := readAll[EntityRow](t, dir, "entities")
	if len(entities) != 2 || entities[1].Start != entities[0].Start+int32(n) || entities[1].Sentence != 3 {
		t.Errorf("entities: %+v", entities)
	}

	ds, err := Open(dir, testMeta("look"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	var entries []manifest.Entry
	ds.Inputs(func(e manifest.Entry) error { entries = append(entries, e); return nil })
	if len(entries) != 2 {
		t.Fatalf("%d manifest entries, want 2", len(entries))
	}
	for _, e := range entries {
		if e.DocID == sampleID && (e.Status != "ok" || e.Rows != spans(0, 1, 0, 4, 0, 4, 0, 2)) {
			t.Errorf("the file's entry: %+v", e)
		}
	}
}

// TestPartFailed: a file with a part that failed is partial, and says which part failed and
// why; the rows of the other parts are written.
func TestPartFailed(t *testing.T) {
	first, second := sampleParts(t)
	first.Fail("decode", errString("archive.txt: not valid UTF-8 text (first bad byte at offset 9)"))
	second.Part.Before = pipeline.Totals{}
	second.Part.Before.Add(first)
	doc, _, facts, _ := Rows(second, rulesVersion, toolVersion)
	if doc.Status != "partial" || doc.Stage == nil || *doc.Stage != "decode" || doc.Error == nil ||
		*doc.Error != "archive.txt: not valid UTF-8 text (first bad byte at offset 9)" || doc.Facts != 2 || doc.Articles != 2 {
		t.Errorf("document row: %+v", doc)
	}
	if len(facts) != 2 || facts[0].Sentence != 0 || facts[0].Article != 0 || facts[0].Start <= 100 {
		t.Errorf("facts: %+v", facts)
	}
}

// TestItemsParts: the extract contract's lines of a later part count from the start of the file.
func TestItemsParts(t *testing.T) {
	_, second := sampleParts(t)
	n := utf8.RuneCountInString(sampleText)
	whole, parted := Items(sampleDoc(t)), Items(second)
	if len(parted) != len(whole) || len(whole) != 3 {
		t.Fatalf("%d items, want %d", len(parted), len(whole))
	}
	for i := range whole {
		w, p := whole[i], parted[i]
		if p.Start != w.Start+n || p.End != w.End+n || p.Sentence != w.Sentence+3 || p.Text != w.Text {
			t.Errorf("item %d: %+v, want %+v shifted by %d code points and 3 sentences", i, p, w, n)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
