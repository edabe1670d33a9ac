package pipeline

// A Cursor finds the byte where a code point of a text starts. Documents give places in code
// points (what facts and entities report) and Go slices strings by bytes; a Cursor walks
// forward from the last place it knows, and from the start again for an earlier code point,
// so that the sentences of a document, asked for in order, cost one walk over its text.
type Cursor struct {
	Text  string
	cp, b int // a code point and the byte it starts at
}

// At returns the byte where code point n starts; len(Text) when the text ends before it.
func (c *Cursor) At(n int) int {
	if n < c.cp {
		c.cp, c.b = 0, 0
	}
	for c.cp < n && c.b < len(c.Text) {
		_, size := DecodeRune(c.Text[c.b:])
		c.b += size
		c.cp++
	}
	return c.b
}

// Reached reports whether the text holds code point n (or ends right before it), as the
// last At(n) found.
func (c *Cursor) Reached(n int) bool { return c.cp == n }

// Set tells the cursor that code point cp starts at byte b, so that the next walk starts there.
func (c *Cursor) Set(cp, b int) { c.cp, c.b = cp, b }
