package source

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/pipeline"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "人民日报_1998-01-05_p05.txt")
	content := []byte("本报北京1月5日电\r\n")
	if err := os.WriteFile(name, content, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	d := Read(Input{Path: name}, nil)
	want := pipeline.Doc{
		ID: hex.EncodeToString(sum[:])[:16], Source: name, Format: "text",
		Size: int64(len(content)), Pages: 1, Page: 5, PubDate: "1998-01-05",
	}
	if d.Failed() || string(d.Bytes) != string(content) {
		t.Fatalf("Read(%s) = %q, error %q", name, d.Bytes, d.Error)
	}
	d.Bytes = nil
	if d.ID != want.ID || d.Source != want.Source || d.Format != want.Format || d.Size != want.Size ||
		d.Pages != want.Pages || d.Page != want.Page || d.PubDate != want.PubDate {
		t.Errorf("Read(%s) = %+v, want %+v", name, *d, want)
	}
}

func TestReadStdin(t *testing.T) {
	d := Read(Input{Path: "-"}, strings.NewReader("今天"))
	if d.Failed() || string(d.Bytes) != "今天" || d.Source != "-" || d.Size != 6 || d.Page != 0 || d.PubDate != "" {
		t.Errorf("Read(-) = %+v", *d)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, os.ErrClosed }

func TestReadFails(t *testing.T) {
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked.txt")
	if err := os.WriteFile(locked, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, err string
	}{
		{"directory", dir, dir + ": is a directory"},
		{"missing", filepath.Join(dir, "gone_p3.txt"), filepath.Join(dir, "gone_p3.txt") + ": no such file or directory"},
		{"stdin", "-", "standard input: file already closed"},
		{"permission", locked, locked + ": permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "permission" && os.Geteuid() == 0 {
				t.Skip("root reads any file")
			}
			d := Read(Input{Path: tt.path}, failingReader{})
			if d == nil {
				t.Fatal("Read returned nil")
			}
			if !d.Failed() || d.Stage != "read" || d.Error != tt.err {
				t.Errorf("Read(%s): status %q, stage %q, error %q; want failed in read with %q", tt.path, d.Status, d.Stage, d.Error, tt.err)
			}
			if d.Source != tt.path || d.Bytes != nil || len(d.ID) != 16 || d.Pages != 0 {
				t.Errorf("Read(%s) = %+v", tt.path, *d)
			}
		})
	}
	// The id of an unreadable document is stable and differs from path to path.
	a, b := Read(Input{Path: tests[1].path}, nil), Read(Input{Path: tests[1].path + "x"}, nil)
	if a.ID != Read(Input{Path: tests[1].path}, nil).ID || a.ID == b.ID {
		t.Errorf("ids of unreadable documents: %s, %s", a.ID, b.ID)
	}
}

func TestNameMetadata(t *testing.T) {
	tests := []struct {
		name string
		date string
		page int
	}{
		{"1998-01-01_p01.txt", "1998-01-01", 1},
		{"人民日报_1978-05-11_p2.txt", "1978-05-11", 2},
		{"rmrb-2023-10-29-page12.txt", "2023-10-29", 0},
		{"rmrb_2023-10-29_page12.txt", "2023-10-29", 12},
		{"RMRB_2023-10-29_P07.TXT", "2023-10-29", 7},
		{"2023-02-30_p1.txt", "", 1},
		{"12023-01-05.txt", "", 0},
		{"2023-01-051.txt", "", 0},
		{"x2023-01-05y_pdf_p3.txt", "2023-01-05", 3},
		{"2023-13-01 2023-12-01.txt", "2023-12-01", 0},
		{"_p.txt", "", 0},
		{"_pages_p9", "", 9},
		{"a_p12345.txt", "", 0},
		{"notes.txt", "", 0},
	}
	for _, tt := range tests {
		if got := dateInName(tt.name); got != tt.date {
			t.Errorf("dateInName(%q) = %q, want %q", tt.name, got, tt.date)
		}
		if got := pageInName(tt.name); got != tt.page {
			t.Errorf("pageInName(%q) = %d, want %d", tt.name, got, tt.page)
		}
	}
}

// TestReadCorpusPages reads the People's Daily pages: page and date come from the names.
func TestReadCorpusPages(t *testing.T) {
	dir := shared(t, "corpus", "pd1998", "pages")
	in, errs := Expand([]string{filepath.Join(dir, "1998-01-0[12]_p*.txt")})
	if len(errs) > 0 || len(in) == 0 {
		t.Fatalf("Expand: %d inputs, errors %v", len(in), errs)
	}
	for _, i := range in {
		d := Read(i, nil)
		Decode(d)
		base := filepath.Base(i.Path)
		if d.Failed() || d.Encoding != "utf-8" || d.PubDate != base[:10] || d.Page == 0 {
			t.Errorf("%s: status %q %q, encoding %q, date %q, page %d", base, d.Status, d.Error, d.Encoding, d.PubDate, d.Page)
		}
	}
}
