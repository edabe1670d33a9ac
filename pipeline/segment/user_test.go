package segment

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseWords(t *testing.T) {
	got, err := ParseWords("words.txt", []byte("# a comment\n利欧股份 1000 nt\n赵碧莹 nr\n温岭泵业\n\n博哥文化 50 # trailing comment\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Word{{"利欧股份", 1000, "nt"}, {"赵碧莹", DefaultFreq, "nr"}, {"温岭泵业", DefaultFreq, ""}, {"博哥文化", 50, ""}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, tc := range []struct{ in, want string }{
		{"好词 -3\n", "words.txt:1: \"-3\": the frequency must be positive"},
		{"a\n坏 1 2 3\n", "words.txt:2: \"坏 1 2 3\": want a word"},
		{"\xff\xfe\n", "words.txt:1: not UTF-8"},
	} {
		if _, err := ParseWords("words.txt", []byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseWords(%q): error %v, want %q", tc.in, err, tc.want)
		}
	}
}

// TestAddWords: a word added keeps its characters together and takes its part of speech.
func TestAddWords(t *testing.T) {
	reset()
	defer reset()
	text := "青石湾渔业联社成立"
	if toks := tokensOf(text); toks[0].Word(text) == "青石湾渔业联社" {
		t.Fatalf("the dictionary already has 青石湾渔业联社: %v", toks)
	}
	if err := AddWords([]Word{{Text: "青石湾渔业联社", Freq: DefaultFreq, Pos: "nt"}}); err != nil {
		t.Fatal(err)
	}
	toks := tokensOf(text)
	if toks[0].Word(text) != "青石湾渔业联社" || toks[0].Pos() != "nt" || toks[0].End != 7 {
		t.Errorf("after AddWords: %+v", toks)
	}
	if err := AddWords([]Word{{Text: ""}}); err == nil {
		t.Error("an empty word is added")
	}
}
