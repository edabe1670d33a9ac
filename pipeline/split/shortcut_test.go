package split

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShortcutsAgree: isByline and isCredit answer as the regexps they guard, on lines made to
// match each alternative and on every line of the bundled pages and, when ../shared is there,
// of the corpus pages.
func TestShortcutsAgree(t *testing.T) {
	lines := []string{
		"本报讯（记者叶琳 通讯员陈慧）昨天，",
		"据本报北京1月5日电",
		"本报北京1月5日电",
		"据新华社北京十二月三十一日电",
		"新华社北京1月5日电",
		"记者 赵碧莹",
		"本报记者 张三",
		"本报特约记者 李四",
		"特约记者 王五 ",
		"新华社记者 兰红光",
		"（记者 张三）",
		"(记者张三)",
		"记者张三丰说了很多话", // no space or end after the name
		"新华社记者兰红光摄",
		"（新华社记者 兰红光 摄）",
		"(本报记者 张三 李四摄)",
		"张三摄",
		"张三 李四 王五 摄",
		"摄",
		"张三摄）",
		"他说这张照片是张三摄的",
		"首都各界隆重纪念",
		"",
		"本",
		"（",
	}
	for _, dir := range []string{
		filepath.Join("..", "..", "testdata", "pages"),
		filepath.Join("..", "..", "..", "shared", "corpus", "pd1998", "pages"),
	} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(string(b), "\n") {
				lines = append(lines, l, strings.TrimSpace(l))
			}
		}
	}
	bylines, credits := 0, 0
	for _, l := range lines {
		want := bylineStart.MatchString(l)
		if got := isByline(l); got != want {
			t.Errorf("isByline(%q) = %v, bylineStart says %v", l, got, want)
		}
		if want {
			bylines++
		}
		want = credit.MatchString(l)
		if got := isCredit(l); got != want {
			t.Errorf("isCredit(%q) = %v, credit says %v", l, got, want)
		}
		if want {
			credits++
		}
	}
	// The lines above hold matches of both, so the agreement is not only on "no".
	if bylines < 12 || credits < 5 {
		t.Errorf("only %d bylines and %d credits among %d lines", bylines, credits, len(lines))
	}
}

// FuzzShortcuts: on any line, the shortcuts answer as the regexps.
func FuzzShortcuts(f *testing.F) {
	for _, s := range []string{"记者 赵碧莹", "（新华社记者 兰红光 摄）", "据本报北京1月5日电", "张三摄)", "(记者张三)", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isByline(s) != bylineStart.MatchString(s) {
			t.Errorf("isByline(%q) disagrees with bylineStart", s)
		}
		if isCredit(s) != credit.MatchString(s) {
			t.Errorf("isCredit(%q) disagrees with credit", s)
		}
	})
}
