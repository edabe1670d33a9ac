package pipeline

import "testing"

// A Cursor walks by code points as `range` counts them, invalid bytes one each, forward from
// where it was last asked or set, and from the start again when asked for an earlier one.
func TestCursor(t *testing.T) {
	text := "温岭a\xffb已拥有"
	starts := []int{}
	for b := range text {
		starts = append(starts, b)
	}
	starts = append(starts, len(text))
	c := Cursor{Text: text}
	for from := range starts {
		for _, cp := range []int{from, len(starts) - 1, from, 0, len(starts) + 3} {
			want := len(text)
			if cp < len(starts) {
				want = starts[cp]
			}
			if got := c.At(cp); got != want {
				t.Errorf("At(%d) = %d, want %d", cp, got, want)
			}
			if reached := cp < len(starts); c.Reached(cp) != reached {
				t.Errorf("Reached(%d) = %v, want %v", cp, !reached, reached)
			}
		}
	}
	// From a place set, the walk goes on from there.
	c.Set(2, starts[2])
	if got := c.At(4); got != starts[4] {
		t.Errorf("At(4) after Set(2, %d) = %d, want %d", starts[2], got, starts[4])
	}
}
