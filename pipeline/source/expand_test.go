package source

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// makeTree builds a directory tree under a temporary directory and returns its root.
// Entries ending in "/" are directories, "name -> target" are symbolic links, the rest
// files.
func makeTree(t *testing.T, entries ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, e := range entries {
		if name, target, ok := strings.Cut(e, " -> "); ok {
			if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
				t.Skipf("symbolic links not available: %v", err)
			}
			continue
		}
		p := filepath.Join(root, e)
		if strings.HasSuffix(e, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(e), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// tree is the test tree: hidden entries, a file link, a directory reached both directly and
// through a link that sorts first (alias), a linked directory outside the tree (ext), and
// three symbolic link loops.
var tree = []string{
	"r/a.txt",
	"r/b/c.txt",
	"r/b/.hidden.txt",
	"r/b/d/e.txt",
	"r/b-x.txt",
	"r/.git/x.txt",
	"r/z.md",
	"r/empty/",
	"outside/f.txt",
	"r/link.txt -> a.txt",
	"r/alias -> b",
	"r/ext -> ../outside",
	"r/loop -> .",
	"r/b/up -> ..",
	"r/b/d/back -> ../../b",
}

// expandWithin runs Expand, failing the test if it does not return within ten seconds.
func expandWithin(t *testing.T, args ...string) ([]Input, []error) {
	t.Helper()
	type result struct {
		in   []Input
		errs []error
	}
	done := make(chan result, 1)
	go func() {
		in, errs := Expand(args)
		done <- result{in, errs}
	}()
	select {
	case r := <-done:
		return r.in, r.errs
	case <-time.After(10 * time.Second):
		t.Fatalf("Expand(%q) did not return: a symbolic link loop?", args)
		return nil, nil
	}
}

func paths(in []Input, root string) []string {
	var ps []string
	for _, i := range in {
		p := i.Path
		if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") && i.Path != "-" {
			p = filepath.ToSlash(rel)
		}
		ps = append(ps, p)
	}
	return ps
}

func errStrings(errs []error, root string) []string {
	var ss []string
	for _, e := range errs {
		ss = append(ss, strings.ReplaceAll(e.Error(), root+string(filepath.Separator), ""))
	}
	return ss
}

func TestExpand(t *testing.T) {
	root := makeTree(t, tree...)
	r := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	walked := []string{"r/a.txt", "r/b-x.txt", "r/b/c.txt", "r/b/d/e.txt", "r/ext/f.txt", "r/link.txt", "r/z.md"}
	tests := []struct {
		name string
		args []string
		want []string
		errs []string
	}{
		{"directory", []string{r("r")}, walked, nil},
		{"directory with trailing slash", []string{r("r") + "/"}, walked, nil},
		{"file", []string{r("r/z.md")}, []string{"r/z.md"}, nil},
		{"hidden file named", []string{r("r/b/.hidden.txt")}, []string{"r/b/.hidden.txt"}, nil},
		{"stdin", []string{"-"}, []string{"-"}, nil},
		{"argument order kept, duplicates dropped",
			[]string{r("r/z.md"), "-", r("r/b"), r("r"), r("r/./z.md"), "-"},
			[]string{"r/z.md", "-", "r/b/c.txt", "r/b/d/e.txt", "r/a.txt", "r/b-x.txt", "r/ext/f.txt", "r/link.txt"}, nil},
		{"directory through a link", []string{r("r/alias")}, []string{"r/alias/c.txt", "r/alias/d/e.txt"}, nil},
		{"glob", []string{r("r/*.txt")}, []string{"r/a.txt", "r/b-x.txt", "r/link.txt"}, nil},
		{"glob over directories", []string{r("r/*/c.txt")}, []string{"r/alias/c.txt", "r/b/c.txt"}, nil},
		{"glob matching directories", []string{r("r/[be]*")}, []string{"r/b-x.txt", "r/b/c.txt", "r/b/d/e.txt", "r/ext/f.txt"}, nil},
		{"double star", []string{r("r/**/*.txt")}, []string{"r/a.txt", "r/b-x.txt", "r/b/c.txt", "r/b/d/e.txt", "r/ext/f.txt", "r/link.txt"}, nil},
		{"double star in the middle", []string{r("r/**/d/*.txt")}, []string{"r/b/d/e.txt"}, nil},
		{"double star alone", []string{r("r/**")}, walked, nil},
		{"double star with hidden pattern", []string{r("r/**/.*.txt")}, []string{"r/b/.hidden.txt"}, nil},
		{"missing file", []string{r("r/nope.txt"), r("r/z.md")}, []string{"r/z.md"},
			[]string{"r/nope.txt: no such file or directory"}},
		{"glob matching nothing", []string{r("r/*.pdf")}, nil, []string{"r/*.pdf: no files match the pattern"}},
		{"malformed glob", []string{r("r/[a.txt")}, nil, []string{"r/[a.txt: malformed glob pattern"}},
		{"empty directory", []string{r("r/empty")}, nil, []string{"r/empty: no files in the directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, errs := expandWithin(t, tt.args...)
			if got := paths(in, root); !slices.Equal(got, tt.want) {
				t.Errorf("Expand(%q) = %q, want %q", tt.args, got, tt.want)
			}
			if got := errStrings(errs, root); !slices.Equal(got, tt.errs) {
				t.Errorf("Expand(%q) errors = %q, want %q", tt.args, got, tt.errs)
			}
		})
	}
}

// TestExpandRelative checks patterns and directories given relative to the working
// directory: the paths come back relative and clean.
func TestExpandRelative(t *testing.T) {
	root := makeTree(t, "a.txt", "sub/b.txt", "sub/deeper/c.txt", "sub/loop -> ..")
	t.Chdir(root)
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"."}, []string{"a.txt", "sub/b.txt", "sub/deeper/c.txt"}},
		{[]string{"./sub/"}, []string{"sub/b.txt", "sub/deeper/c.txt"}},
		{[]string{"**/*.txt"}, []string{"a.txt", "sub/b.txt", "sub/deeper/c.txt"}},
		{[]string{"./**/c.txt"}, []string{"sub/deeper/c.txt"}},
		{[]string{"*"}, []string{"a.txt", "sub/b.txt", "sub/deeper/c.txt"}},
		{[]string{"a.txt", "./a.txt", root + "/a.txt"}, []string{"a.txt"}},
	} {
		in, errs := expandWithin(t, tt.args...)
		var got []string
		for _, i := range in {
			got = append(got, filepath.ToSlash(i.Path))
		}
		if !slices.Equal(got, tt.want) || len(errs) > 0 {
			t.Errorf("Expand(%q) = %q, %v; want %q", tt.args, got, errs, tt.want)
		}
	}
}

// TestExpandBrokenLink checks that a dangling link met in a walk is reported and the walk
// goes on.
func TestExpandBrokenLink(t *testing.T) {
	root := makeTree(t, "d/a.txt", "d/gone -> nowhere.txt", "d/self -> self")
	in, errs := expandWithin(t, filepath.Join(root, "d"))
	if got := paths(in, root); !slices.Equal(got, []string{"d/a.txt"}) {
		t.Errorf("files = %q, want [d/a.txt]", got)
	}
	got := errStrings(errs, root)
	if len(got) != 2 || got[0] != "d/gone: broken symbolic link" || !strings.HasPrefix(got[1], "d/self: ") {
		t.Errorf("errors = %q, want d/gone: broken symbolic link and d/self: (a link loop)", got)
	}
}

// TestExpandMutualLinks checks two directories linking to each other: no loop, each file
// once, under its real path when the walk reaches it directly.
func TestExpandMutualLinks(t *testing.T) {
	root := makeTree(t, "p/a/1.txt", "p/b/2.txt", "p/a/x -> ../b", "p/b/y -> ../a")
	for _, tt := range []struct {
		arg  string
		want []string
	}{
		{"p", []string{"p/a/1.txt", "p/b/2.txt"}},
		{"p/a", []string{"p/a/1.txt", "p/a/x/2.txt"}},
		{"p/**/*.txt", []string{"p/a/1.txt", "p/b/2.txt"}},
		{"p/a/**", []string{"p/a/1.txt", "p/a/x/2.txt"}},
	} {
		in, errs := expandWithin(t, filepath.Join(root, tt.arg))
		if got := paths(in, root); !slices.Equal(got, tt.want) || len(errs) > 0 {
			t.Errorf("Expand(%q) = %q, %v; want %q", tt.arg, got, errs, tt.want)
		}
	}
}
