package extract

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// windowsByOffsets is windows as it was first written, from the byte offset of every code
// point: the reference the one-pass windows is checked against.
func windowsByOffsets(text string) [][3]int {
	var pos, anchors []int
	for b, r := range text {
		if isAnchor(r) {
			anchors = append(anchors, len(pos))
		}
		pos = append(pos, b)
	}
	if len(anchors) == 0 {
		return nil
	}
	pos = append(pos, len(text))
	n := len(pos) - 1
	var out [][3]int
	first := anchors[0]
	for k, a := range anchors {
		if k+1 < len(anchors) && anchors[k+1]-a <= windowBefore+windowAfter {
			continue
		}
		out = append(out, [3]int{pos[max(0, first-windowBefore)], pos[min(n, a+windowAfter+1)], max(0, first-windowBefore)})
		if k+1 < len(anchors) {
			first = anchors[k+1]
		}
	}
	return out
}

// TestWindows: windows cuts the windows the offsets of every code point give, on texts made to
// put anchors at the margins' edges and past them, and on every line of the corpus's pages.
func TestWindows(t *testing.T) {
	pad := func(n int) string { return strings.Repeat("的", n) }
	texts := []string{
		"", "的", "1", "1的", "的1", "产值超300亿元，配套企业近900家。", "\xff1\xfe的\xe4\xb8",
		pad(16) + "1" + pad(16), pad(17) + "1" + pad(17), pad(15) + "1" + pad(15),
		"1" + pad(32) + "2", "1" + pad(33) + "2", "1" + pad(31) + "2", "1" + pad(16) + "2" + pad(17) + "3",
		pad(40) + "1" + pad(33) + "2" + pad(40), strings.Repeat("1"+pad(33), 20), strings.Repeat("1", 300),
		strings.Repeat("a的1", 200),
	}
	pages, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages", "*.txt"))
	if len(pages) == 0 {
		t.Log("../shared/corpus is not there: only the made-up texts are compared")
	}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, strings.Split(string(data), "\n")...)
	}
	for _, text := range texts {
		if got, want := windows(text, nil), windowsByOffsets(text); !reflect.DeepEqual(got, want) {
			t.Fatalf("windows(%q) = %v, want %v", text, got, want)
		}
	}
}
