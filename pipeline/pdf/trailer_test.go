package pdf

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// testdata/pdf/pdfunite.pdf is newspaper_3col.pdf and vertical.pdf joined by poppler's
// pdfunite 22.12 (`pdfunite newspaper_3col.pdf vertical.pdf pdfunite.pdf`): its trailer says
// /Size 12 after a table of 20 objects, the catalog among the last. Its pages must read as
// the two files' pages do.
func TestPdfuniteTrailer(t *testing.T) {
	read := func(name string) Result {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pdf", name))
		if err != nil {
			t.Fatal(err)
		}
		return Read(context.Background(), name, data, Options{CMapDir: t.TempDir()})
	}
	joined := read("pdfunite.pdf")
	if joined.Err != nil {
		t.Fatalf("pdfunite.pdf: %v", joined.Err)
	}
	var want []Page
	for _, name := range []string{"newspaper_3col.pdf", "vertical.pdf"} {
		res := read(name)
		if res.Err != nil {
			t.Fatalf("%s: %v", name, res.Err)
		}
		want = append(want, res.Pages...)
	}
	if len(joined.Pages) != len(want) || len(want) != 3 {
		t.Fatalf("pdfunite.pdf: %d pages, want %d (3)", len(joined.Pages), len(want))
	}
	for i, p := range joined.Pages {
		if p.Text != want[i].Text || p.Path != want[i].Path || p.Text == "" {
			t.Errorf("page %d: %q (%s), want %q (%s)", i+1, p.Text, p.Path, want[i].Text, want[i].Path)
		}
	}
}

func TestMendSize(t *testing.T) {
	// A file's end: objects, then the table startxref points to, then the trailer.
	file := func(table, trailer string) string {
		body := "%PDF-1.5\n1 0 obj\n<<>>\nendobj\n"
		return body + table + trailer + "startxref\n" + strconv.Itoa(len(body)) + "\n%%EOF"
	}
	table20 := "xref\r\n0 20\r\n" + strings.Repeat("0000000015 00000 n\r\n", 20)
	tests := []struct {
		name, data string
		want       string // the mended file; "" when it must be left alone
	}{
		{"size too small", file(table20, "trailer\n<</Size 12 /Root 19 0 R>>\n"),
			file(table20, "trailer\n<</Size 20 /Root 19 0 R>>\n")},
		{"size right", file(table20, "trailer\n<</Size 20 /Root 19 0 R>>\n"), ""},
		{"size larger", file(table20, "trailer\n<</Size 30>>\n"), ""},
		{"two subsections", file("xref\n0 1\n0000000000 65535 f\n40 2\n0000000015 00000 n\n0000000015 00000 n\n", "trailer\n<< /Size  3 >>\n"),
			file("xref\n0 1\n0000000000 65535 f\n40 2\n0000000015 00000 n\n0000000015 00000 n\n", "trailer\n<< /Size  42 >>\n")},
		{"entry not n or f", file("xref\n0 2\n0000000000 65535 f\n0000000015 00000 x\n", "trailer\n<</Size 1>>\n"), ""},
		{"short table", file("xref\n0 5\n0000000000 65535 f\n", "trailer\n<</Size 1>>\n"), ""},
		{"no /Size", file(table20, "trailer\n<</Root 19 0 R>>\n"), ""},
		{"no trailer", file(table20, ""), ""},
		{"a cross-reference stream", "%PDF-1.5\n1 0 obj\n<</Type /XRef /Size 1>>\nendobj\nstartxref\n9\n%%EOF", ""},
		{"startxref past itself", "%PDF-1.5\nstartxref\n999\n%%EOF", ""},
		{"beyond the object limit", file("xref\n8388607 5\n"+strings.Repeat("0000000015 00000 n\n", 5), "trailer\n<</Size 1>>\n"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cut, skip, patch, ok := mendSize(memFile([]byte(tt.data)))
			from := int(cut)
			mended := tt.data[:cut] + string(patch) + tt.data[min(int(skip), len(tt.data)):]
			if tt.want == "" {
				if ok {
					t.Fatalf("mended: %q", mended)
				}
				return
			}
			if !ok {
				t.Fatal("left alone")
			}
			if got := mended; got != tt.want {
				t.Fatalf("mended to\n%q\nwant\n%q", got, tt.want)
			}
			// The reader the library reads through presents the mended file.
			br := newBudgetReader(memFile([]byte(tt.data)))
			buf := make([]byte, br.size())
			if n, _ := br.ReadAt(buf, 0); string(buf[:n]) != tt.want {
				t.Fatalf("budgetReader reads %q", buf[:n])
			}
			if n, _ := br.ReadAt(buf[:7], int64(from-3)); string(buf[:n]) != tt.want[from-3:from+4] {
				t.Fatalf("a read across the seam gives %q, want %q", buf[:n], tt.want[from-3:from+4])
			}
		})
	}
}

// FuzzMendSize: mendSize never panics, and a mended file differs from the original only in
// the digits of one number, which grow.
func FuzzMendSize(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pdf", "pdfunite.pdf")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("xref\n0 3\n0000000000 65535 f\n0000000015 00000 n\n0000000015 00000 n\ntrailer\n<</Size 1>>\nstartxref\n0\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cut, skip, patch, ok := mendSize(memFile(data))
		if !ok {
			return
		}
		from := int(cut)
		if from < 0 || skip <= cut || skip > int64(len(data)) || len(patch) == 0 {
			t.Fatalf("cut %d, skip %d of %d, patch %q", cut, skip, len(data), patch)
		}
		old, rest, found := decimal(data[from:])
		if !found || len(rest) != len(data)-int(skip) {
			t.Fatalf("no number at %d to %d", from, skip)
		}
		size, trest, _ := decimal(patch)
		if size <= old || len(trest) != 0 {
			t.Fatalf("%d became %q", old, patch)
		}
		// the reader reads the mended file: the original with the number replaced
		f := memFile(data)
		f.cut, f.skip, f.patch = cut, skip, patch
		got, err := io.ReadAll(io.NewSectionReader(f, 0, f.size()))
		if want := string(data[:cut]) + string(patch) + string(data[skip:]); err != nil || string(got) != want {
			t.Fatalf("reads %q (%v), want %q", got, err, want)
		}
	})
}
