package segment

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
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

// header is the first line of a cache of n words with total frequency total.
func header(n int, total float64) string {
	return fmt.Sprintf("%s\t%s\t%s\t%d\t%s\n", cacheMagic, cacheFormat, gseVersion(), n, strconv.FormatFloat(total, 'g', -1, 64))
}

// readCache reads the dictionary cache; nil when there is none or it is not as written.
func readCache() *lexicon {
	path := CachePath()
	if path == "" {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	x, err := parseCache(string(raw))
	if err != nil {
		return nil
	}
	return x
}

// parseCache reads a cache file's text: its header, then one word a line, sorted.
func parseCache(data string) (*lexicon, error) {
	first, body, ok := strings.Cut(data, "\n")
	if !ok {
		return nil, errors.New("no header")
	}
	f := strings.Split(first, "\t")
	if len(f) != 5 || f[0] != cacheMagic || f[1] != cacheFormat || f[2] != gseVersion() {
		return nil, errors.New("another format or gse version")
	}
	n, err1 := strconv.Atoi(f[3])
	total, err2 := strconv.ParseFloat(f[4], 64)
	if err1 != nil || err2 != nil || n <= 0 || n > len(body) {
		return nil, errors.New("a bad header")
	}
	entries := make([]entry, 0, n)
	for len(body) > 0 {
		line, rest, ok := strings.Cut(body, "\n")
		if !ok {
			return nil, errors.New("the last line is cut")
		}
		body = rest
		key, rest, ok1 := strings.Cut(line, "\t")
		freqText, pos, ok2 := strings.Cut(rest, "\t")
		freq, err := strconv.ParseFloat(freqText, 64)
		if !ok1 || !ok2 || err != nil {
			return nil, fmt.Errorf("not a word line: %q", line)
		}
		entries = append(entries, entry{key: key, freq: freq, pos: pos})
	}
	if len(entries) != n {
		return nil, fmt.Errorf("%d words, the header says %d", len(entries), n)
	}
	return newLexicon(entries, total) // checks the order
}

// writeCache writes x, gse's whole dictionary just loaded, to the cache unless a cache of this
// version is there. Any failure only leaves no cache.
func writeCache(x *lexicon) {
	path := CachePath()
	if path == "" {
		return
	}
	want := header(x.n(), x.total)
	if f, err := os.Open(path); err == nil {
		got, _ := bufio.NewReader(f).ReadString('\n')
		f.Close()
		if got == want {
			return
		}
	}
	for i := range x.n() {
		if strings.ContainsAny(x.key(i), "\t\n") || strings.ContainsAny(x.posNames[x.pos[i]], "\t\n") {
			return // not representable: no cache
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
	var num []byte
	for i := range x.n() {
		w.WriteString(x.key(i))
		w.WriteByte('\t')
		num = strconv.AppendFloat(num[:0], x.freq[i], 'g', -1, 64)
		w.Write(num)
		w.WriteByte('\t')
		w.WriteString(x.posNames[x.pos[i]])
		w.WriteByte('\n')
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
