package rules

import "testing"

func TestPrefilter(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"percent.sign":       "%",
		"percent.cheng":      "成",
		"date.relative_year": "今去明前后本上来",
	}
	for _, r := range set.Rules {
		if r.required == "" {
			t.Errorf("rule %s has no prefilter: every text would go through its pattern", r.ID)
		}
		if w, ok := want[r.ID]; ok && r.required != w {
			t.Errorf("rule %s: prefilter %q, want %q", r.ID, r.required, w)
		}
		// Every positive example must pass its own rule's prefilter.
		for _, ex := range r.Examples {
			if !ex.None && !r.MayMatch(ex.Text) {
				t.Errorf("rule %s: prefilter %q rejects its example %q", r.ID, r.required, ex.Text)
			}
		}
	}
}
