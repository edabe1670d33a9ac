package segment

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"slices"
	"testing"
)

// FuzzLexiconAsGse: for any text, the lexicon cuts as gse does.
//
//	go test -fuzz FuzzLexiconAsGse -fuzztime 60s ./pipeline/segment
func FuzzLexiconAsGse(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Add("中华人民共和国成立于1949年10月1日，ＰＭ2.5浓度下降。")
	Load()
	x, seg := cur.Load(), Gse()
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := lexSpans(x, text), gseSpans(seg, text); got != want {
			t.Fatalf("%q:\nlexicon %s\ngse     %s", text, got, want)
		}
	})
}

// FuzzDecodeCache: any file, with its checksum made right or not, is refused or read as a
// lexicon that segments without failing.
//
//	go test -fuzz FuzzDecodeCache -fuzztime 60s ./pipeline/segment
func FuzzDecodeCache(f *testing.F) {
	x, err := newLexicon([]entry{{"abc", 5, "eng"}, {"中", 50, "f"}, {"中国", 40, "ns"}, {"中国人", 10, "n"}, {"人民", 30, "n"}}, 135)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(encodeCache(x))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fixed := slices.Clone(raw)
		if nl := bytes.IndexByte(fixed, '\n'); nl >= 0 {
			if body := (nl + cacheAlign) / cacheAlign * cacheAlign; len(fixed) >= body+4 {
				binary.LittleEndian.PutUint32(fixed[len(fixed)-4:], crc32.ChecksumIEEE(fixed[body:len(fixed)-4]))
			}
		}
		for _, b := range [][]byte{raw, fixed} {
			if y, err := decodeCache(b); err == nil {
				y.segment("中国人民abc中国", new(scratch))
			}
		}
	})
}
