package pdf

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// openFile finds the header past leading bytes, drops what follows the last %%EOF and rewrites
// a header the library refuses, copying nothing else.
func TestOpenFile(t *testing.T) {
	body := "1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF"
	tests := []struct {
		name, data, want string
		err              error
	}{
		{"plain", "%PDF-1.4\n" + body, "%PDF-1.4\n" + body, nil},
		{"bytes before the header", "MIME junk\r\n%PDF-1.4\n" + body, "%PDF-1.4\n" + body, nil},
		{"bytes after the last %%EOF", "%PDF-1.4\n" + body + "\n%%EOF\r\nlogin page", "%PDF-1.4\n" + body + "\n%%EOF", nil},
		{"PDF-2.0", "%PDF-2.0\n" + body, "%PDF-1.7\n" + body, nil},
		{"header without its line end", "%PDF-1.4 " + body, "%PDF-1.7\n" + body, nil},
		{"no header", "PDF-1.4\n" + body, "", ErrNotPDF},
		{"header after 1 KiB", strings.Repeat(" ", 1024) + "%PDF-1.4\n" + body, "%PDF-1.4\n" + body, nil},
		{"header after 64 KiB", strings.Repeat(" ", maxHeaderAt) + "%PDF-1.4\n" + body, "%PDF-1.4\n" + body, nil},
		{"header too late", strings.Repeat(" ", maxHeaderAt+1) + "%PDF-1.4\n" + body, "", ErrNotPDF},
		{"no %%EOF", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "", ErrDamaged},
		{"4 KiB of zeros after %%EOF", "%PDF-1.4\n" + body + strings.Repeat("\x00", 4096), "%PDF-1.4\n" + body, nil},
		{"1 MiB of junk after %%EOF", "%PDF-1.4\n" + body + strings.Repeat("x", maxTailJunk-5), "%PDF-1.4\n" + body, nil},
		{"%%EOF too far from the end", "%PDF-1.4\n" + body + strings.Repeat("x", maxTailJunk-4), "", ErrDamaged},
		{"short", "%PDF-%%EOF", "%PDF-1.7\nF", nil},
	}
	for _, tt := range tests {
		for _, where := range []string{"disk", "memory"} {
			t.Run(tt.name+" "+where, func(t *testing.T) {
				testNormalize(t, where, tt.data, tt.want, tt.err)
			})
		}
	}
}

// testNormalize normalizes data read as from a file on disk, or from memory, and checks it
// reads as want, whole and at every offset, or gives wantErr.
func testNormalize(t *testing.T, where, data, want string, wantErr error) {
	f := &file{r: strings.NewReader(data), n: int64(len(data))}
	if where == "memory" {
		f = memFile([]byte(data))
	}
	err := f.normalize()
	if wantErr != nil {
		if !errors.Is(err, wantErr) {
			t.Fatalf("err %v, want %v", err, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(io.NewSectionReader(f, 0, f.size()))
	if err != nil || string(got) != want {
		t.Fatalf("reads %q (%v), want %q", got, err, want)
	}
	for at := range len(want) { // every read at every offset agrees with the whole
		buf := make([]byte, 5)
		n, _ := f.ReadAt(buf, int64(at))
		if w := want[at:min(len(want), at+5)]; string(buf[:n]) != w {
			t.Fatalf("ReadAt(5, %d) = %q, want %q", at, buf[:n], w)
		}
	}
	if b, _ := f.bytesAt(0, 9); len(want) >= 9 && string(b) != want[:9] {
		t.Fatalf("bytesAt(0, 9) = %q, want %q", b, want[:9])
	}
}

// A file that is shorter than it was said to be (truncated while it is read) gives an error,
// never a short read taken for the end of the file.
func TestFileShrunk(t *testing.T) {
	f := &file{r: strings.NewReader("%PDF-1.4\nabc"), n: 20}
	buf := make([]byte, 8)
	if n, err := f.ReadAt(buf, 8); n != 4 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("ReadAt = %d, %v; want 4, unexpected EOF", n, err)
	}
}

// ReadAt through an open file reads what Read reads from memory, page for page.
func TestReadAtFile(t *testing.T) {
	for _, name := range []string{"newspaper_fpdf.pdf", "pdfunite.pdf"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "..", "testdata", "pdf", name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			opt := Options{CMapDir: t.TempDir()}
			want := Read(context.Background(), name, data, opt)
			if want.Err != nil || len(want.Pages) == 0 {
				t.Fatalf("Read: %v, %d pages", want.Err, len(want.Pages))
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got := ReadAt(context.Background(), name, f, int64(len(data)), opt)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("ReadAt gives\n%+v\nRead\n%+v", got, want)
			}
		})
	}
}

// A file cut short after it was opened fails in the pages that needed its end, naming the
// file; it does not panic or hang.
func TestReadAtTruncated(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pdf", "newspaper_fpdf.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	r := &cutReader{data: data, cut: len(data)} // the size is read as it was
	res := ReadAt(context.Background(), "cut.pdf", onOpen{r, func() { r.cut = len(data) / 2 }}, int64(len(data)), Options{CMapDir: t.TempDir()})
	if res.Err == nil && !res.Partial {
		t.Fatalf("a file cut in half while read: no error, not partial (%d pages)", len(res.Pages))
	}
	for _, p := range res.Pages {
		if p.Err != "" && !strings.HasPrefix(p.Err, "cut.pdf:") {
			t.Errorf("page %d: %q does not name the file", p.Number, p.Err)
		}
	}
	if res.Err != nil && !strings.HasPrefix(res.Err.Error(), "cut.pdf: ") {
		t.Errorf("%v does not name the file", res.Err)
	}
}

// cutReader reads data[:cut].
type cutReader struct {
	data []byte
	cut  int
}

func (c *cutReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(c.cut) {
		return 0, io.EOF
	}
	n := copy(p, c.data[off:c.cut])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// onOpen runs cut once the trailer has been read (the first read at the end of the file).
type onOpen struct {
	r   *cutReader
	cut func()
}

func (o onOpen) ReadAt(p []byte, off int64) (int, error) {
	n, err := o.r.ReadAt(p, off)
	if off+int64(len(p)) >= int64(len(o.r.data))-64 {
		o.cut()
	}
	return n, err
}

// A file opened once is read a range of pages at a time: the ranges, end to end, are the
// whole file's pages, numbered as in it, when each range holds the pages a running header
// repeats on; a range outside the file is an error naming it.
func TestReadPages(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pdf", "pdfunite.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{CMapDir: t.TempDir()}
	whole := Read(context.Background(), "u.pdf", data, opt)
	f, err := Open("u.pdf", bytes.NewReader(data), int64(len(data)), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.NumPages() != 3 || len(whole.Pages) != 3 {
		t.Fatalf("%d pages open, %d read whole; want 3", f.NumPages(), len(whole.Pages))
	}
	var got []Page
	for _, r := range [][2]int{{1, 2}, {3, 3}} { // the masthead of pages 1 and 2 is removed
		res := f.ReadPages(context.Background(), r[0], r[1])
		if res.Err != nil {
			t.Fatalf("pages %v: %v", r, res.Err)
		}
		got = append(got, res.Pages...)
	}
	for i, p := range got {
		w := whole.Pages[i]
		if p.Number != i+1 || p.Text != w.Text || p.Path != w.Path || p.Text == "" {
			t.Errorf("page %d: number %d, %q (%s); read whole: %q (%s)", i+1, p.Number, p.Text, p.Path, w.Text, w.Path)
		}
	}
	// alone, page 1 keeps it: a running header is a line repeated across the pages read
	if one := f.ReadPages(context.Background(), 1, 1); len(one.Pages) != 1 || !strings.HasPrefix(one.Pages[0].Text, "新闻日报") ||
		!strings.HasPrefix(whole.Pages[0].Text, "全市粮食产量") {
		t.Errorf("page 1 alone: %+v; read whole it starts %.30q", one.Pages, whole.Pages[0].Text)
	}
	for _, r := range [][2]int{{0, 1}, {2, 1}, {3, 4}} {
		if res := f.ReadPages(context.Background(), r[0], r[1]); res.Err == nil || !strings.HasPrefix(res.Err.Error(), "u.pdf: pages") {
			t.Errorf("pages %v: err %v, want one naming the file and the pages", r, res.Err)
		}
	}
	if _, err := Open("z.pdf", bytes.NewReader(zeroPagePDF()), int64(len(zeroPagePDF())), opt); !errors.Is(err, ErrNoPages) {
		t.Errorf("a file of no pages opens with %v, want ErrNoPages", err)
	}
}
