package pdf

import "unicode"

// similarity compares the character content of two texts, order aside: twice the size of the
// multiset intersection of their non-space characters over the sum of their sizes.
func similarity(a, b string) float64 {
	count := func(s string) (map[rune]int, int) {
		m, n := map[rune]int{}, 0
		for _, r := range s {
			if !unicode.IsSpace(r) {
				m[r]++
				n++
			}
		}
		return m, n
	}
	ma, na := count(a)
	mb, nb := count(b)
	if na+nb == 0 {
		return 1
	}
	common := 0
	for r, c := range ma {
		common += min(c, mb[r])
	}
	return 2 * float64(common) / float64(na+nb)
}
