package segment

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/go-ego/gse"
)

// The dictionary cache is gse's simplified-Chinese dictionary as gse holds it once loaded
// (word, frequency, part of speech; duplicates dropped, ASCII lower-cased), one word a line,
// sorted, in a text file under the user's cache folder:
//
//	newsfacts-segment-cache	1	github.com/go-ego/gse@v0.80.3	352275	<total frequency>
//	word	frequency	pos
//
// Its name holds gse's version and the format's, so a new gse or format makes a new file.
// The first command that loads the whole dictionary writes it (to a temporary file renamed
// into place); a cache folder that cannot be written only means there is no cache.

// cacheFormat changes whenever the file's layout or meaning changes.
const cacheFormat = "1"

// cacheMagic begins the header line.
const cacheMagic = "newsfacts-segment-cache"

// CacheDirEnv names the environment variable that overrides the cache folder; "off" turns the
// cache off.
const CacheDirEnv = "NEWSFACTS_CACHE_DIR"

// cacheDir is the folder of newsfacts' cache: $NEWSFACTS_CACHE_DIR, or newsfacts in the
// user's cache folder (XDG_CACHE_HOME or ~/.cache on Linux); "" when there is none.
func cacheDir() string {
	if d, ok := os.LookupEnv(CacheDirEnv); ok {
		if d == "off" {
			return ""
		}
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "newsfacts")
}

// gseVersion is the gse module this binary was built with. Test binaries carry no module
// versions: for them it is gse's own version constant, and only when the cache folder is set
// by NEWSFACTS_CACHE_DIR (tests set a fresh one), since that constant is not always bumped.
// "" means no cache: a cache of another gse could hold other words.
func gseVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path != "github.com/go-ego/gse" {
				continue
			}
			if m.Replace != nil {
				m = m.Replace
			}
			if m.Version == "" || m.Version == "(devel)" {
				return ""
			}
			return m.Path + "@" + m.Version
		}
	}
	if _, ok := os.LookupEnv(CacheDirEnv); ok {
		return "github.com/go-ego/gse@" + strings.Fields(gse.Version)[0] + "-unknown"
	}
	return ""
}

// CachePath is the dictionary cache's file, "" when there is no cache (no cache folder, or the
// gse version is unknown).
func CachePath() string {
	dir, v := cacheDir(), gseVersion()
	if dir == "" || v == "" {
		return ""
	}
	name := strings.NewReplacer("/", "_", "@", "-", ",", "", " ", "").Replace(v)
	return filepath.Join(dir, "gse-zh_s-"+name+"-f"+cacheFormat+".tsv")
}

// cachedDict is the cache file in memory: its text and where each word's line starts.
type cachedDict struct {
	data  string
	lines []int32 // offset of every line; one more at the end
	n     int     // number of words
	total float64 // total frequency of the whole dictionary
}

// entry returns word i and the rest of its line (frequency, tab, part of speech).
func (d *cachedDict) entry(i int) (key, rest string) {
	line := d.data[d.lines[i] : d.lines[i+1]-1]
	key, rest, _ = strings.Cut(line, "\t")
	return key, rest
}

func (d *cachedDict) key(i int) string {
	k, _ := d.entry(i)
	return k
}

// hasPrefix reports whether some word begins with s (or is s).
func (d *cachedDict) hasPrefix(s string) bool {
	i := sort.Search(d.n, func(i int) bool { return d.key(i) >= s })
	return i < d.n && strings.HasPrefix(d.key(i), s)
}

// has reports whether s is a word.
func (d *cachedDict) has(s string) bool {
	i := sort.Search(d.n, func(i int) bool { return d.key(i) >= s })
	return i < d.n && d.key(i) == s
}

// header is the first line of a cache of n words with total frequency total.
func header(n int, total float64) string {
	return fmt.Sprintf("%s\t%s\t%s\t%d\t%s\n", cacheMagic, cacheFormat, gseVersion(), n, strconv.FormatFloat(total, 'g', -1, 64))
}

// readCache reads the dictionary cache; nil when there is none or it is not as written.
func readCache() *cachedDict {
	path := CachePath()
	if path == "" {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	data := string(raw)
	first, body, ok := strings.Cut(data, "\n")
	if !ok {
		return nil
	}
	f := strings.Split(first, "\t")
	if len(f) != 5 || f[0] != cacheMagic || f[1] != cacheFormat || f[2] != gseVersion() {
		return nil
	}
	n, err1 := strconv.Atoi(f[3])
	total, err2 := strconv.ParseFloat(f[4], 64)
	if err1 != nil || err2 != nil || n <= 0 || len(body) >= 1<<31 {
		return nil
	}
	d := &cachedDict{data: body, lines: make([]int32, 0, n+1), n: n, total: total}
	prev := ""
	for off := 0; off < len(body); {
		end := strings.IndexByte(body[off:], '\n')
		if end < 0 {
			return nil // the last line is cut
		}
		line := body[off : off+end]
		key, rest, ok := strings.Cut(line, "\t")
		if !ok || !strings.Contains(rest, "\t") || (len(d.lines) > 0 && key <= prev) {
			return nil // not a word line, or not sorted: hasPrefix would be wrong
		}
		d.lines = append(d.lines, int32(off))
		prev = key
		off += end + 1
	}
	if len(d.lines) != n {
		return nil
	}
	d.lines = append(d.lines, int32(len(body)))
	cacheRead = true
	return d
}

// cacheRead is set once a cache was read: a full load then need not look at the file again.
var cacheRead bool

// writeCache writes the words of s, gse's whole dictionary just loaded, to the cache unless a
// cache of this version is there. Any failure only leaves no cache.
func writeCache(s *gse.Segmenter) {
	path := CachePath()
	if path == "" || cacheRead {
		return
	}
	want := header(s.Dict.NumTokens(), s.Dict.TotalFreq())
	if f, err := os.Open(path); err == nil {
		got, _ := bufio.NewReader(f).ReadString('\n')
		f.Close()
		if got == want {
			return
		}
	}
	lines := make([]string, 0, len(s.Dict.Tokens))
	for i := range s.Dict.Tokens {
		t := &s.Dict.Tokens[i]
		w, pos := t.Text(), t.Pos()
		if w == "" || strings.ContainsAny(w, "\t\n") || strings.ContainsAny(pos, "\t\n") {
			return // not representable: no cache
		}
		lines = append(lines, w+"\t"+strconv.FormatFloat(t.Freq(), 'g', -1, 64)+"\t"+pos+"\n")
	}
	sort.Strings(lines) // a tab sorts before every character of a word: sorted by word
	for i := 1; i < len(lines); i++ {
		if k, _, _ := strings.Cut(lines[i], "\t"); k <= keyOf(lines[i-1]) {
			return // two lines for one word: gse's dictionary is not as expected
		}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".gse-zh_s-*.tmp")
	if err != nil {
		return
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	w.WriteString(want)
	for _, l := range lines {
		w.WriteString(l)
	}
	err = w.Flush()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}

func keyOf(line string) string {
	k, _, _ := strings.Cut(line, "\t")
	return k
}
