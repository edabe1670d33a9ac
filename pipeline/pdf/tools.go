package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The optional programs, all from Debian packages: pdftotext and pdftoppm (poppler-utils),
// tesseract (tesseract-ocr) with its Chinese models (tesseract-ocr-chi-sim, -chi-tra).

func findTools() Options {
	var o Options
	o.Pdftotext, _ = exec.LookPath("pdftotext")
	o.Pdftoppm, _ = exec.LookPath("pdftoppm")
	if t, err := exec.LookPath("tesseract"); err == nil {
		if langs := tessLangs(t); langs != "" {
			o.Tesseract, o.TessLangs = t, langs
		}
	}
	o.CMapDir = cmapDir("")
	return o
}

// tessLangs picks the Chinese models tesseract has: chi_sim for mainland papers, chi_tra when
// it is the only one. Without either, tesseract is of no use here.
func tessLangs(bin string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--list-langs").CombinedOutput()
	if err != nil {
		return ""
	}
	has := map[string]bool{}
	for _, l := range strings.Fields(string(out)) {
		has[l] = true
	}
	switch {
	case has["chi_sim"]:
		return "chi_sim"
	case has["chi_tra"]:
		return "chi_tra"
	}
	return ""
}

// tempFile is the document's bytes on disk, for the programs that want a path.
type tempFile struct {
	dir, path string
}

func (t *tempFile) remove() { os.RemoveAll(t.dir) }

func (d *document) file() (string, error) {
	if d.tmp != nil {
		return d.tmp.path, nil
	}
	dir, err := os.MkdirTemp("", "newsfacts-pdf-")
	if err != nil {
		return "", err
	}
	t := &tempFile{dir: dir, path: filepath.Join(dir, "doc.pdf")}
	if err := writeFile(t.path, d.f); err != nil {
		t.remove()
		return "", err
	}
	d.tmp = t
	return t.path, nil
}

// writeFile copies f to a new file at path.
func writeFile(path string, f *file) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, io.NewSectionReader(f, 0, f.size()))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

var errNotInstalled = errors.New("not installed")

func (d *document) run(ctx context.Context, bin string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, d.opt.ToolTime)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("%s took longer than %s", filepath.Base(bin), d.opt.ToolTime)
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return nil, fmt.Errorf("%s: %v %s", filepath.Base(bin), err, msg)
	}
	return stdout.Bytes(), nil
}

// pdftotext reads one page with poppler's pdftotext, in its default (reading order) mode.
func (d *document) pdftotext(ctx context.Context, page int) (candidate, error) {
	if d.opt.Pdftotext == "" {
		return candidate{}, errNotInstalled
	}
	path, err := d.file()
	if err != nil {
		return candidate{}, err
	}
	n := strconv.Itoa(page)
	out, err := d.run(ctx, d.opt.Pdftotext, "-q", "-enc", "UTF-8", "-f", n, "-l", n, path, "-")
	if err != nil {
		return candidate{}, err
	}
	text := toolText(string(out))
	return candidate{text: text, path: PathPdftotext, j: judge(text, false)}, nil
}

// ocr renders one page with pdftoppm and reads it with tesseract.
func (d *document) ocr(ctx context.Context, page int) (candidate, error) {
	if d.opt.Tesseract == "" || d.opt.Pdftoppm == "" {
		return candidate{}, errNotInstalled
	}
	path, err := d.file()
	if err != nil {
		return candidate{}, err
	}
	n := strconv.Itoa(page)
	prefix := filepath.Join(d.tmp.dir, "page"+n)
	if _, err := d.run(ctx, d.opt.Pdftoppm, "-q", "-r", strconv.Itoa(d.opt.OCRDPI), "-gray", "-png",
		"-f", n, "-l", n, "-singlefile", path, prefix); err != nil {
		return candidate{}, err
	}
	img := prefix + ".png"
	defer os.Remove(img)
	out, err := d.run(ctx, d.opt.Tesseract, img, "stdout", "-l", d.opt.TessLangs, "--psm", "3")
	if err != nil {
		return candidate{}, err
	}
	text := toolText(string(out))
	return candidate{text: text, path: PathOCR, j: judge(text, false)}, nil
}

// toolText brings a program's page text to our shape: lines joined inside blocks, one block a
// line, no form feeds, no spaces next to CJK characters (pdftotext spaces CJK from digits and
// letter-spaced lines; tesseract's Chinese models put a space between every character).
func toolText(s string) string {
	s = strings.ReplaceAll(s, "\f", "\n")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var blocks []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			blocks = append(blocks, cur.String())
			cur.Reset()
		}
	}
	for _, l := range strings.Split(s, "\n") {
		l = dropCJKSpaces(strings.TrimSpace(l))
		if l == "" {
			flush()
			continue
		}
		if cur.Len() > 0 {
			a, _ := utf8.DecodeLastRuneInString(cur.String())
			c, _ := utf8.DecodeRuneInString(l)
			if !isCJK(a) && !isCJK(c) {
				cur.WriteByte(' ')
			}
		}
		cur.WriteString(l)
	}
	flush()
	return strings.Join(blocks, "\n")
}

func dropCJKSpaces(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsSpace(r) {
			j := i
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			if i > 0 && j < len(rs) && (isCJK(rs[i-1]) || isCJK(rs[j])) {
				continue
			}
			if i > 0 && unicode.IsSpace(rs[i-1]) {
				continue
			}
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
