package source

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsfacts/newsfacts/pipeline"
)

// grownPDF writes testdata/pdf/<name> to a temporary file grown past WholeBytes, as a large
// PDF is: a comment of WholeBytes after its end, then its startxref again, as an incremental
// update that changes nothing would be. It returns the path and the original's bytes.
func grownPDF(t *testing.T, name string) (string, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pdf", name))
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(data, []byte("startxref"))
	fields := strings.Fields(string(data[i+len("startxref"):]))
	if i < 0 || len(fields) == 0 {
		t.Fatalf("%s: no startxref", name)
	}
	if _, err := strconv.Atoi(fields[0]); err != nil {
		t.Fatalf("%s: startxref %q", name, fields[0])
	}
	var b bytes.Buffer
	b.Write(data)
	b.WriteString("\n%")
	b.Write(bytes.Repeat([]byte("x"), WholeBytes))
	b.WriteString("\nstartxref\n" + fields[0] + "\n%%EOF\n")
	path := filepath.Join(t.TempDir(), "big_"+name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

// A PDF larger than WholeBytes is not read into memory: Read hashes it and leaves it open for
// Decode, which reads the pages Decode reads from the bytes.
func TestReadLargePDFOnDisk(t *testing.T) {
	path, small := grownPDF(t, "pdfunite.pdf")
	d := Read(Input{Path: path}, nil)
	sum, size, err := HashFile(path)
	switch {
	case err != nil:
		t.Fatal(err)
	case d.Failed() || d.Bytes != nil || d.OnDisk == nil:
		t.Fatalf("status %s (%s), %d bytes in memory, on disk %v", d.Status, d.Error, len(d.Bytes), d.OnDisk != nil)
	case d.ID != IDOf(sum) || d.Size != size || d.Format != "pdf":
		t.Fatalf("id %s size %d format %s, want %s %d pdf", d.ID, d.Size, d.Format, IDOf(sum), size)
	}
	Decode(d)
	want := &pipeline.Doc{Source: path, Format: "pdf", Bytes: small}
	Decode(want)
	if d.Failed() || d.Raw != want.Raw || d.Pages != 3 || d.Raw == "" || d.OnDisk != nil {
		t.Fatalf("decoded from disk: %s %q, %d pages; from memory %q", d.Status, d.Raw, d.Pages, want.Raw)
	}
}

// A large PDF written to after it was hashed fails, at read, naming the file: its rows would
// not be those of the bytes its id names (and a failure at read is retried by the next run).
func TestLargePDFChanged(t *testing.T) {
	path, _ := grownPDF(t, "pdfunite.pdf")
	d := Read(Input{Path: path}, nil)
	if d.OnDisk == nil {
		t.Fatalf("not left on disk: %s %s", d.Status, d.Error)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	Decode(d)
	if !d.Failed() || d.Stage != "read" || !strings.HasPrefix(d.Error, path+": changed since it was hashed") {
		t.Fatalf("status %s, stage %s, error %q", d.Status, d.Stage, d.Error)
	}
}

// ReadParts reads a PDF of many pages in parts of PartPages pages (the last up to twice as
// many), decoded: end to end, their texts are the whole file's, their pages its pages, their
// bytes its bytes, each with the file's id and its number of pages.
func TestReadPDFInParts(t *testing.T) {
	path, small := grownPDF(t, "pages130.pdf")
	sum, size, err := HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var parts []*pipeline.Doc
	if err := ReadParts(context.Background(), path, "archive_2024-03-08.pdf", &sum, 0, func(d *pipeline.Doc) error {
		parts = append(parts, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2 (pages 1–64 and 65–130)", len(parts))
	}
	whole := &pipeline.Doc{Source: path, Format: "pdf", Bytes: small}
	Decode(whole)
	var text strings.Builder
	var bytesRead int64
	page := 0
	for i, d := range parts {
		if d.Part.Index != i || d.Part.More != (i == 0) || d.ID != IDOf(sum) || d.Pages != 130 || d.Status != "" ||
			d.Format != "pdf" || d.Source != "archive_2024-03-08.pdf" || d.PubDate != "2024-03-08" || d.OnDisk != nil || d.Bytes != nil {
			t.Fatalf("part %d: %+v, status %q %s", i, d.Part, d.Status, d.Error)
		}
		if d.RawChars != utf8.RuneCountInString(d.Raw) {
			t.Errorf("part %d: RawChars %d for %d code points", i, d.RawChars, utf8.RuneCountInString(d.Raw))
		}
		for j, info := range d.PageInfo {
			page++
			if info.Number != page || d.PageAt(d.PageStarts[j]) != page {
				t.Fatalf("part %d: page %d is numbered %d, PageAt says %d", i, page, info.Number, d.PageAt(d.PageStarts[j]))
			}
		}
		text.WriteString(d.Raw)
		bytesRead += d.Size
	}
	if page != 130 || len(parts[0].PageInfo) != 64 || bytesRead != size {
		t.Errorf("%d pages (%d in the first part), %d bytes; want 130 (64), %d", page, len(parts[0].PageInfo), bytesRead, size)
	}
	if text.String() != whole.Raw || !strings.HasPrefix(parts[1].Raw, pageBreak+"第65版第1条要闻") {
		t.Errorf("the parts' text differs from the whole file's (second part starts %.40q)", parts[1].Raw)
	}
	if strings.Contains(whole.Raw, "新闻日报") {
		t.Error("the masthead on every page is not removed as a running header")
	}
}

// A large PDF of fewer than 2 × PartPages pages is emitted whole, left on disk for a worker to
// decode; one that changed since the caller hashed it fails at read.
func TestReadPDFPartsWhole(t *testing.T) {
	path, _ := grownPDF(t, "pdfunite.pdf")
	sum, _, err := HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []*pipeline.Doc
	collect := func(d *pipeline.Doc) error { got = append(got, d); return nil }
	if err := ReadParts(context.Background(), path, path, &sum, 0, collect); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Whole() || got[0].OnDisk == nil || got[0].Raw != "" {
		t.Fatalf("%d documents, the first whole %v, on disk %v", len(got), got[0].Whole(), got[0].OnDisk != nil)
	}
	got[0].DropBytes()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n")
	f.Close()
	got = nil
	if err := ReadParts(context.Background(), path, path, &sum, 0, collect); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Failed() || got[0].Stage != "read" || !strings.Contains(got[0].Error, "changed while it was read") {
		t.Fatalf("%d documents: %s %s %q", len(got), got[0].Status, got[0].Stage, got[0].Error)
	}
}
