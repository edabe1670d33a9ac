package pipeline

import (
	"reflect"
	"sync"
	"testing"
	"unsafe"
)

// A Token is 20 bytes of plain numbers: nothing the garbage collector would have to scan.
func TestTokenHoldsNoPointers(t *testing.T) {
	if got := unsafe.Sizeof(Token{}); got != 20 {
		t.Errorf("a Token takes %d bytes, want 20", got)
	}
	typ := reflect.TypeFor[Token]()
	for i := range typ.NumField() {
		switch f := typ.Field(i); f.Type.Kind() {
		case reflect.Int32, reflect.Uint16:
		default:
			t.Errorf("Token.%s is a %s", f.Name, f.Type)
		}
	}
}

func TestTokenWord(t *testing.T) {
	text := "今年 IBM在北京"
	tok := Token{Start: 3, End: 6, From: 7, To: 10, Tag: TagOf("eng")}
	if got := tok.Word(text); got != "IBM" {
		t.Errorf("Word = %q, want IBM", got)
	}
	if got := tok.Pos(); got != "eng" {
		t.Errorf("Pos = %q, want eng", got)
	}
	if got := (Token{}).Pos(); got != "" {
		t.Errorf("the zero Token's Pos = %q, want empty", got)
	}
}

// TagOf numbers a name once, whoever asks first, and String gives the name back, also while
// other goroutines add names.
func TestTagOf(t *testing.T) {
	names := []string{"n", "nr", "ns", "v", "x", "tag-of-test-a", "tag-of-test-b", "tag-of-test-c"}
	got := make([][]Tag, 8)
	var wg sync.WaitGroup
	for g := range got {
		wg.Go(func() {
			for k := range names {
				name := names[(k+g)%len(names)]
				tag := TagOf(name)
				if tag.String() != name {
					t.Errorf("TagOf(%q).String() = %q", name, tag.String())
				}
				got[g] = append(got[g], tag)
			}
		})
	}
	wg.Wait()
	for g := range got {
		for k, tag := range got[g] {
			name := names[(k+g)%len(names)]
			if want := TagOf(name); tag != want {
				t.Errorf("goroutine %d: %q is tag %d, later %d", g, name, tag, want)
			}
		}
	}
	if TagOf("") != 0 || Tag(0).String() != "" {
		t.Error("the zero Tag is not the empty name")
	}
	if TagOf("n") == TagOf("nr") {
		t.Error("n and nr share a tag")
	}
}
