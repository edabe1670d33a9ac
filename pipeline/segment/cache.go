package segment

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/go-ego/gse"
)

// The dictionary cache is the lexicon of gse's simplified-Chinese dictionary, precompiled:
// gse's words as gse holds them once loaded (duplicates dropped, ASCII lower-cased), sorted,
// with their frequencies, path weights and parts of speech, and the trie over them, written as
// arrays a process reads back in a few milliseconds. A text header line, then the arrays, then
// a CRC-32C of the arrays:
//
//	newsfacts-segment-cache	2	github.com/go-ego/gse@v0.80.3	352275	<total frequency>
//	keys, off, freq, dist, pos, parts of speech, trie kids, labels, words (little-endian,
//	each preceded by its length)
//
// Its name holds gse's version and the format's, so a new gse or format makes a new file.
// The first process that loads gse's dictionary writes it (to a temporary file renamed into
// place); a cache folder that cannot be written only means there is no cache.

// cacheFormat changes whenever the file's layout or meaning changes.
const cacheFormat = "2"

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
	return filepath.Join(dir, "gse-zh_s-"+name+"-f"+cacheFormat+".bin")
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
	x, err := decodeCache(raw)
	if err != nil {
		return nil
	}
	return x
}

// writeCache writes x, gse's whole dictionary just loaded, to the cache unless a cache of this
// version is there. Any failure only leaves no cache.
func writeCache(x *lexicon) {
	path := CachePath()
	if path == "" {
		return
	}
	if f, err := os.Open(path); err == nil {
		got, _ := bufio.NewReader(f).ReadString('\n')
		f.Close()
		if got == header(x.n(), x.total) {
			return
		}
	}
	data := encodeCache(x)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".gse-zh_s-*.tmp")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
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

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encodeCache returns the cache file of x.
func encodeCache(x *lexicon) []byte {
	var b []byte
	putLen := func(n int) { b = binary.LittleEndian.AppendUint64(b, uint64(n)) }
	put32 := func(v []int32) {
		putLen(len(v))
		for _, e := range v {
			b = binary.LittleEndian.AppendUint32(b, uint32(e))
		}
	}
	putLen(len(x.keys))
	b = append(b, x.keys...)
	put32(x.off)
	putLen(len(x.freq))
	for _, f := range x.freq {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	putLen(len(x.dist))
	for _, d := range x.dist {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(d))
	}
	putLen(len(x.pos))
	for _, p := range x.pos {
		b = binary.LittleEndian.AppendUint16(b, p)
	}
	names := strings.Join(x.posNames, "\n")
	putLen(len(names))
	b = append(b, names...)
	put32(x.trie.kids)
	put32(x.trie.label)
	put32(x.trie.word)
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	return append([]byte(header(x.n(), x.total)), b...)
}

// decodeCache reads a cache file and checks that every index in it is in range, so that a
// damaged file is refused rather than making segmentation fail.
func decodeCache(raw []byte) (*lexicon, error) {
	nl := bytes.IndexByte(raw, '\n')
	if nl < 0 {
		return nil, errors.New("no header")
	}
	f := strings.Split(string(raw[:nl]), "\t")
	if len(f) != 5 || f[0] != cacheMagic || f[1] != cacheFormat || f[2] != gseVersion() {
		return nil, errors.New("another format or gse version")
	}
	n, err1 := strconv.Atoi(f[3])
	total, err2 := strconv.ParseFloat(f[4], 64)
	body := raw[nl+1:]
	if err1 != nil || err2 != nil || n <= 0 || len(body) < 4 {
		return nil, errors.New("a bad header")
	}
	sum := binary.LittleEndian.Uint32(body[len(body)-4:])
	if body = body[:len(body)-4]; crc32.Checksum(body, castagnoli) != sum {
		return nil, errors.New("checksum mismatch")
	}
	d := decoder{b: body}
	x := &lexicon{total: total}
	x.keys = string(d.bytes(1))
	x.off = d.int32s()
	x.freq = make([]float64, d.count(8))
	for i := range x.freq {
		x.freq[i] = math.Float64frombits(d.u64())
	}
	x.dist = make([]float32, d.count(4))
	for i := range x.dist {
		x.dist[i] = math.Float32frombits(d.u32())
	}
	x.pos = make([]uint16, d.count(2))
	for i := range x.pos {
		x.pos[i] = d.u16()
	}
	x.posNames = strings.Split(string(d.bytes(1)), "\n")
	x.trie.kids, x.trie.label, x.trie.word = d.int32s(), d.int32s(), d.int32s()
	if d.err != nil || len(d.b) != 0 {
		return nil, errors.New("the arrays are cut or too long")
	}
	if err := x.check(n); err != nil {
		return nil, err
	}
	x.trie.buildRoot()
	return x, nil
}

// check reports whether the arrays of a lexicon read from a file of n words fit together.
func (x *lexicon) check(n int) error {
	if len(x.off) != n+1 || len(x.freq) != n || len(x.dist) != n || len(x.pos) != n || x.off[0] != 0 || int(x.off[n]) != len(x.keys) {
		return errors.New("word arrays of different lengths")
	}
	for i := range n {
		if x.off[i+1] <= x.off[i] || int(x.pos[i]) >= len(x.posNames) || (i > 0 && x.key(i-1) >= x.key(i)) {
			return fmt.Errorf("word %d: empty, unsorted or with an unknown part of speech", i)
		}
	}
	t := &x.trie
	nodes := len(t.label)
	if nodes == 0 || len(t.word) != nodes || len(t.kids) != nodes+1 || int(t.kids[nodes]) != nodes {
		return errors.New("trie arrays of different lengths")
	}
	for i := range nodes {
		if t.kids[i] > t.kids[i+1] || t.kids[i] <= int32(i) && t.kids[i] != t.kids[i+1] || t.word[i] < -1 || int(t.word[i]) >= n {
			return fmt.Errorf("trie node %d out of range", i)
		}
	}
	return nil
}

// decoder reads the arrays of a cache file; err is set when the data runs out.
type decoder struct {
	b   []byte
	err error
}

// count reads an array's length and checks that size bytes each are there.
func (d *decoder) count(size int) int {
	if d.err != nil || len(d.b) < 8 {
		d.err = io.ErrUnexpectedEOF
		return 0
	}
	n := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	if n > uint64(len(d.b)/size) {
		d.err = io.ErrUnexpectedEOF
		return 0
	}
	return int(n)
}

func (d *decoder) bytes(size int) []byte {
	n := d.count(size)
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) u64() uint64 { v := binary.LittleEndian.Uint64(d.b); d.b = d.b[8:]; return v }
func (d *decoder) u32() uint32 { v := binary.LittleEndian.Uint32(d.b); d.b = d.b[4:]; return v }
func (d *decoder) u16() uint16 { v := binary.LittleEndian.Uint16(d.b); d.b = d.b[2:]; return v }

func (d *decoder) int32s() []int32 {
	out := make([]int32, d.count(4))
	for i := range out {
		out[i] = int32(d.u32())
	}
	return out
}
