package pdf

import (
	"strings"
	"testing"
)

// prescan turns away the numbers that would make the library allocate without bound, and
// lets every ordinary file through.
func TestPrescan(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"ordinary", string(newspaperPDF()), ""},
		{"size", "<< /Size 99999999999 /Root 1 0 R >>", "/Size 99999999999 beyond"},
		{"size at the limit", "<< /Size 8388608 >>", ""},
		{"columns", "<< /DecodeParms << /Predictor 12 /Columns 4294967296 >> >>", "/Columns 4294967296 too large"},
		{"index", "<< /Type /XRef /Index [0 5 100 8388600] >>", "/Index 100 8388600 beyond"},
		{"xref", "xref\n0 1\n0000000000 65535 f \n4000000000 2\ntrailer", "cross-reference section 4000000000 2 beyond"},
		{"names that only start alike", "/Sizes 99999999999 /Indexed [0 99999999999] /ColumnsX 99999999999", ""},
		// the file is read a MiB at a time: a name or a table across the seam is still seen
		{"size across a MiB", strings.Repeat(" ", 1<<20-3) + "/Size 99999999999", "/Size 99999999999 beyond"},
		{"index across a MiB", strings.Repeat(" ", 1<<20-10) + "/Index [0 5 100 8388600]", "/Index 100 8388600 beyond"},
		{"xref across a MiB", strings.Repeat(" ", 1<<20-2) + "xref\n0 1\n0000000000 65535 f \n4000000000 2\ntrailer", "section 4000000000 2 beyond"},
		{"a long table", "xref\n0 200000\n" + strings.Repeat("0000000000 65535 f \n", 200000) + "4000000000 2\ntrailer", "section 4000000000 2 beyond"},
		{"last MiB", strings.Repeat("%", 3<<20) + "/Columns 4294967296", "/Columns 4294967296 too large"},
		// a number is read however far it goes, and its leading zeros do not hide its size
		// (the library allocates what it says: the process dies of it)
		{"columns after a MiB of spaces", "/Columns" + strings.Repeat(" ", 2200000) + "1000000000000", "/Columns 1000000000000 too large"},
		{"size after leading zeros", "/Size " + strings.Repeat("0", 300) + "1000000000000", "/Size 1000000000000 beyond"},
		{"xref start after leading zeros", "xref\n" + strings.Repeat("0", 300) + "1000000000000 1\ntrailer", "section 1000000000000 1 beyond"},
		{"index after leading zeros", "/Index [0 " + strings.Repeat("0", 40) + "9000000]", "/Index 0 9000000 beyond"},
		// names first, then tables, whatever comes first in the file
		{"name after a table", "xref\n4000000000 2\ntrailer\n" + strings.Repeat(" ", 2<<20) + "/Size 99999999999", "/Size 99999999999 beyond"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := prescan(memFile([]byte(c.src)))
			switch {
			case c.want == "" && err != nil:
				t.Errorf("prescan = %v, want nil", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("prescan = %v, want %q", err, c.want)
			}
		})
	}
}
