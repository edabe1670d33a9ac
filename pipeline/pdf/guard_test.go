package pdf

import (
	"io"
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
		// the library reads +12 as 12
		{"size with a plus sign", "/Size +99999999999", "/Size 99999999999 beyond"},
		{"columns with a plus sign", "/Columns +4294967296", "/Columns 4294967296 too large"},
		{"index with plus signs", "/Index [+0 +9000000]", "/Index 0 9000000 beyond"},
		{"xref start with a plus sign", "xref\n+4000000000 2\ntrailer", "section 4000000000 2 beyond"},
		// names, comments and white space as the library's lexer reads them
		{"an escaped name", "<< /S#69ze 99999999999 >>", "/Size 99999999999 beyond"},
		{"an escaped name, upper-case hex", "/Col#75mns 4294967296", "/Columns 4294967296 too large"},
		{"a comment before the number", "/Size%a comment\n99999999999", "/Size 99999999999 beyond"},
		{"a comment in an index", "/Index [0 % first\r 9000000]", "/Index 0 9000000 beyond"},
		{"a comment in a table", "xref\n% the table\n4000000000 2\ntrailer", "section 4000000000 2 beyond"},
		{"a bad escape is no name", "/Size#zz 99999999999 /Siz 99999999999", ""},
		// a malformed entry ends the table, for the library as for the check
		{"a section after a malformed entry", "xref\n0 2\n0000000000 65535 f \n0000000015 00000 x \n4000000000 2\ntrailer", ""},
		{"sections of no entries, one after another", strings.Repeat("xref\n0 8000000\n", 20000), ""},
		// names first, then tables, whatever comes first in the file
		{"name after a table", "xref\n4000000000 2\ntrailer\n" + strings.Repeat(" ", 2<<20) + "/Size 99999999999", "/Size 99999999999 beyond"},
	}
	for _, c := range cases {
		for _, where := range []string{"memory", "disk"} {
			t.Run(c.name+" "+where, func(t *testing.T) {
				f := memFile([]byte(c.src))
				if where == "disk" { // read through an io.ReaderAt, as a large PDF is
					f = &file{r: strings.NewReader(c.src), n: int64(len(c.src))}
				}
				err := prescan(f)
				switch {
				case c.want == "" && err != nil:
					t.Errorf("prescan = %v, want nil", err)
				case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
					t.Errorf("prescan = %v, want %q", err, c.want)
				}
			})
		}
	}
}

// prescan reads a file on disk a MiB at a time, not once for every name in it: a file of a
// million names took seconds of reads, one for each.
func TestPrescanReads(t *testing.T) {
	for _, name := range []string{"/Size 1 ", "/Columns 1 ", "/Index [0 1] ", "xref\n0 1\ntrailer "} {
		src := strings.Repeat(name, 4<<20/len(name))
		r := &countingReader{r: strings.NewReader(src)}
		if err := prescan(&file{r: r, n: int64(len(src))}); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if r.reads > 16 {
			t.Errorf("%q repeated over 4 MiB: %d reads, want one a MiB or so", name, r.reads)
		}
	}
}

type countingReader struct {
	r     io.ReaderAt
	reads int
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.r.ReadAt(p, off)
}
