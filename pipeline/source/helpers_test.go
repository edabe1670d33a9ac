package source

import (
	"os"
	"path/filepath"
	"testing"
)

// repoRoot returns the repository root: the nearest directory above the test's working
// directory that holds go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// shared returns a path under ../shared (beside the repository root), skipping the test
// when that folder or the file is absent.
func shared(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{repoRoot(t), "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data not available: %v", err)
	}
	return p
}

// fixture returns the path of a file in testdata/source.
func fixture(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(repoRoot(t), "testdata", "source", name)
}

// pd1998 returns the GBK original of People's Daily, January 1998, and its UTF-8 copy.
func pd1998(t testing.TB) (gbk, utf8 []byte) {
	t.Helper()
	dir := shared(t, "corpus", "pd1998")
	gbk, err := os.ReadFile(filepath.Join(dir, "199801.txt"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	utf8, err = os.ReadFile(filepath.Join(dir, "199801.utf8.txt"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	return gbk, utf8
}
