package pdf

import (
	"fmt"
	"strings"
	"testing"
)

// spell writes the tokens of a content stream one per line: operands as kind:value, operators
// as themselves, the way the interpreter receives them.
func spell(src string) string {
	lx := lexer{b: []byte(src)}
	var out []string
	var show func(o operand) string
	show = func(o operand) string {
		switch o.kind {
		case 'n':
			return fmt.Sprintf("n:%g", o.num)
		case '/', 's', 'k':
			return fmt.Sprintf("%c:%q", o.kind, o.s)
		case '[':
			var el []string
			for _, e := range o.arr {
				el = append(el, show(e))
			}
			return "[" + strings.Join(el, " ") + "]"
		case 'd':
			var el []string
			for _, e := range o.dict {
				el = append(el, e.key+"="+show(e.val))
			}
			return "<<" + strings.Join(el, " ") + ">>"
		}
		return "?"
	}
	for {
		o, op, ok := lx.next(0)
		if !ok {
			return strings.Join(out, "\n")
		}
		if op != "" {
			out = append(out, op)
			if op == "BI" {
				lx.skipInlineImage()
			}
			lx.arena, lx.entries = lx.arena[:0], lx.entries[:0]
			continue
		}
		out = append(out, show(o))
	}
}

func TestLexer(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"numbers", "1 -2 +3.5 .25 -.5 4. 007 0.000001 Td", "n:1\nn:-2\nn:3.5\nn:0.25\nn:-0.5\nn:4\nn:7\nn:1e-06\nTd"},
		{"long integer", "123456789012345678901234 Tw", "n:1.2345678901234569e+23\nTw"},
		{"not numbers", "1.2.3 - . 12abc Tc", "Tc"},
		{"names", "/F1 12 Tf /A#20B /Span", "/:\"F1\"\nn:12\nTf\n/:\"A B\"\n/:\"Span\""},
		{"literal strings", `(a\(b\)c) (x(y)z) (\101\n\\) (line\
joined) Tj`, "s:\"a(b)c\"\ns:\"x(y)z\"\ns:\"A\\n\\\\\"\ns:\"linejoined\"\nTj"},
		{"hex strings", "<4E2D 6587> <414> Tj", "s:\"N-e\\x87\"\ns:\"A@\"\nTj"},
		{"TJ array", "[(A) -120 <0042> 3.5] TJ", `[s:"A" n:-120 s:"\x00B" n:3.5]` + "\nTJ"},
		{"nested", "[[1 2] [3 [4]]] 0 d", "[[n:1 n:2] [n:3 [n:4]]]\nn:0\nd"},
		{"inline dict", "/Artifact <</Type /Pagination /Subtype /Header /Attached [/Top]>> BDC", `/:"Artifact"` + "\n" + `<<Type=/:"Pagination" Subtype=/:"Header" Attached=[/:"Top"]>>` + "\nBDC"},
		{"keywords", "true false null /X", "k:\"true\"\nk:\"false\"\nk:\"null\"\n/:\"X\""},
		{"comments", "% a comment (not a string\n1 w % another\nS", "n:1\nw\nS"},
		{"strays", ") ] > } { 1 w", "n:1\nw"},
		{"unknown operator", "1 2 zz", "n:1\nn:2\nzz"},
		{"inline image", "q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00EI\xffEIx EI Q", "q\nBI\nQ"},
		{"inline image at the end", "BI /W 1 ID abc", "BI"},
		{"unclosed", "[(a) (b", `[s:"a" s:"b"]`},
		{"unclosed dict", "<</A 1", "<<A=n:1>>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := spell(c.src); got != c.want {
				t.Errorf("%q:\n got %s\nwant %s", c.src, got, c.want)
			}
		})
	}
}

// Arrays nested past the limit, and huge arrays, end without exhausting the stack or memory.
func TestLexerLimits(t *testing.T) {
	deep := strings.Repeat("[", 100000) + "1" + strings.Repeat("]", 100000) + " 0 d"
	if got := spell(deep); !strings.HasSuffix(got, "n:0\nd") {
		t.Errorf("deep nesting: %.200s", got)
	}
	big := "[" + strings.Repeat("1 ", maxOperands+10) + "] TJ"
	lx := lexer{b: []byte(big)}
	o, _, _ := lx.next(0)
	if len(o.arr) != maxOperands {
		t.Errorf("array of %d elements kept %d", maxOperands+10, len(o.arr))
	}
}

// FuzzLexer: any bytes end in a finite list of tokens, without a panic.
func FuzzLexer(f *testing.F) {
	for _, s := range []string{"BT /F1 12 Tf 72 720 Td (a\\)b) Tj [<00410042> -250 (c)] TJ ET",
		"/Artifact <</Type /Pagination>> BDC q BI /W 1 ID \x00\xff EI Q EMC", "[[[<<", "1.2.3 -.5 +"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lx := lexer{b: data}
		for n := 0; ; n++ {
			if n > len(data)+1 {
				t.Fatalf("more tokens than bytes: the lexer does not advance")
			}
			_, op, ok := lx.next(0)
			if !ok {
				return
			}
			if op == "BI" {
				lx.skipInlineImage()
			}
			lx.arena, lx.entries = lx.arena[:0], lx.entries[:0]
		}
	})
}
