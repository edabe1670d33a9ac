package pipeline

import "testing"

func TestPageAt(t *testing.T) {
	d := &Doc{PageStarts: []int{0, 10, 13, 40}}
	for raw, want := range map[int]int{0: 1, 9: 1, 10: 2, 12: 2, 13: 3, 39: 3, 40: 4, 1000: 4} {
		if got := d.PageAt(raw); got != want {
			t.Errorf("PageAt(%d) = %d, want %d", raw, got, want)
		}
	}
	if got := (&Doc{}).PageAt(5); got != 0 {
		t.Errorf("a text input: PageAt = %d, want 0", got)
	}
}
