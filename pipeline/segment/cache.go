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
	"unsafe"

	"github.com/go-ego/gse"
)

// The dictionary cache is the lexicon of gse's dictionary in use (simplified Chinese, or with
// the traditional words too: a file of its own), precompiled:
// gse's words as gse holds them once loaded (duplicates dropped, ASCII lower-cased), sorted,
// with their frequencies, path weights and parts of speech, and the hash table of their trie
// (table.go), written as arrays a process uses where they lie in the file it read. A text
// header line, then the arrays, then a CRC-32 (IEEE) of the arrays:
//
//	newsfacts-segment-cache	5	github.com/go-ego/gse@v0.80.3	zh_s	352275	<total frequency>
//	keys, off, freq, dist, pos, parts of speech, table slots, root array, edge filter
//	(little-endian, each preceded by its number of elements as 8 bytes, each starting at a
//	multiple of 8 bytes in the file)
//
// On a little-endian machine the arrays are not decoded: the lexicon's slices point into the
// bytes read (the alignment makes that legal), which saves decoding 27 MB at every start; on
// Linux those bytes are read into huge pages outside the Go heap (readfile_linux.go). The
// checksum is IEEE's because Go computes it with carry-less multiplication without setting up
// tables first (Castagnoli's first use costs 30 ms). Its name holds gse's version and the
// format's, so a new gse or format makes a new file.
// The first process that loads gse's dictionary writes it (to a temporary file renamed into
// place); a cache folder that cannot be written only means there is no cache.

// cacheFormat changes whenever the file's layout or meaning changes.
const cacheFormat = "5"

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

// cachePath is the cache file of the dictionary in use, "" when there is no cache (no cache
// folder, or the gse version is unknown). It reads dictName: mu is held, or nothing changes it.
func cachePath() string { return cachePathOf(dictName) }

// cachePathOf is the cache file of gse's dictionary name (simplified or both).
func cachePathOf(name string) string {
	dir, v := cacheDir(), gseVersion()
	if dir == "" || v == "" {
		return ""
	}
	return filepath.Join(dir, "gse-"+name+"-"+strings.NewReplacer("/", "_", "@", "-", ",", "", " ", "").Replace(v)+"-f"+cacheFormat+".bin")
}

// header is the first line of a cache of n words with total frequency total.
func header(n int, total float64) string {
	return fmt.Sprintf("%s\t%s\t%s\t%s\t%d\t%s\n", cacheMagic, cacheFormat, gseVersion(), dictName, n, strconv.FormatFloat(total, 'g', -1, 64))
}

// readCache reads the dictionary cache and returns the function that frees its memory; nil
// when there is none or it is not as written. It reads dictName (see cachePath).
func readCache() (x *lexicon, release func()) { return readCacheOf(dictName) }

// readCacheOf is readCache for gse's dictionary name, which it needs no lock to read.
func readCacheOf(name string) (x *lexicon, release func()) {
	path := cachePathOf(name)
	if path == "" {
		return nil, nil
	}
	raw, release, err := readFile(path)
	if err != nil {
		return nil, nil
	}
	x, err = decodeCacheOf(raw, name) // the lexicon keeps raw until release
	if err != nil {
		release()
		// A damaged file (cut short, or changed on disk) is removed, so that this process's
		// load from gse writes a sound one; writeCache keeps a file whose header is right.
		os.Remove(path)
		return nil, nil
	}
	return x, release
}

// writeCache writes x, gse's whole dictionary just loaded, to the cache unless a cache of this
// version is there. Any failure only leaves no cache.
func writeCache(x *lexicon) {
	path := cachePath()
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
		return
	}
	removeOlderFormats(path)
}

// olderFormats are the names the cache had in earlier formats, after gse's version: a text
// file of words (1), arrays read by copying (2), the trie as sorted arrays (3), slots with a
// leaf flag instead of their children's bits, and no root array or edge filter (4).
var olderFormats = []string{"-f1.tsv", "-f2.bin", "-f3.bin", "-f4.bin"}

// removeOlderFormats deletes the caches of earlier formats for the same gse beside path, the
// cache just written: newsfacts no longer reads them. Caches of other gse versions stay (another
// newsfacts build may use them).
func removeOlderFormats(path string) {
	stem := strings.TrimSuffix(path, "-f"+cacheFormat+".bin")
	for _, suffix := range olderFormats {
		os.Remove(stem + suffix)
	}
}

// cacheAlign is the alignment of every array in the cache file.
const cacheAlign = 8

// encodeCache returns the cache file of x.
func encodeCache(x *lexicon) []byte {
	b := []byte(header(x.n(), x.total))
	b = pad(b)
	body := len(b)
	section := func(n int, data []byte) {
		b = binary.LittleEndian.AppendUint64(b, uint64(n))
		b = pad(append(b, data...))
	}
	section(len(x.keys), []byte(x.keys))
	section(len(x.off), littleEndian(x.off))
	section(len(x.freq), littleEndian(x.freq))
	section(len(x.dist), littleEndian(x.dist))
	section(len(x.pos), littleEndian(x.pos))
	names := strings.Join(x.posNames, "\n")
	section(len(names), []byte(names))
	section(len(x.table.slots), slotBytes(x.table.slots))
	section(len(x.table.root), littleEndian(x.table.root))
	section(len(x.table.edges), littleEndian(x.table.edges))
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b[body:]))
}

// pad appends zero bytes to b up to a multiple of cacheAlign.
func pad(b []byte) []byte {
	for len(b)%cacheAlign != 0 {
		b = append(b, 0)
	}
	return b
}

// decodeCache reads a cache file and checks that every index in it is in range, so that a
// damaged file is refused rather than making segmentation fail. The lexicon returned may
// share raw's memory: raw must not change afterwards.
func decodeCache(raw []byte) (*lexicon, error) { return decodeCacheOf(raw, dictName) }

// decodeCacheOf is decodeCache for a cache of gse's dictionary name.
func decodeCacheOf(raw []byte, name string) (*lexicon, error) {
	nl := bytes.IndexByte(raw, '\n')
	if nl < 0 {
		return nil, errors.New("no header")
	}
	f := strings.Split(string(raw[:nl]), "\t")
	if len(f) != 6 || f[0] != cacheMagic || f[1] != cacheFormat || f[2] != gseVersion() || f[3] != name {
		return nil, errors.New("another format, gse version or dictionary")
	}
	n, err1 := strconv.Atoi(f[4])
	total, err2 := strconv.ParseFloat(f[5], 64)
	start := (nl + 1 + cacheAlign - 1) / cacheAlign * cacheAlign
	if err1 != nil || err2 != nil || n <= 0 || len(raw) < start+4 {
		return nil, errors.New("a bad header")
	}
	body := raw[start : len(raw)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(raw[len(raw)-4:]) {
		return nil, errors.New("checksum mismatch")
	}
	d := decoder{b: body}
	x := &lexicon{total: total}
	x.keys = d.text()
	x.off = section[int32](&d)
	x.freq = section[float64](&d)
	x.dist = section[float32](&d)
	x.pos = section[uint16](&d)
	x.posNames = strings.Split(strings.Clone(d.text()), "\n")
	x.table = tableOf(slotSection(&d), section[int32](&d), section[uint64](&d))
	if d.err != nil || len(d.b) != 0 {
		return nil, errors.New("the arrays are cut or too long")
	}
	if err := x.check(n); err != nil {
		return nil, err
	}
	x.tags = tagsOf(x.posNames)
	if err := x.checkSample(); err != nil {
		return nil, err
	}
	return x, nil
}

// check reports whether the arrays of a lexicon read from a file of n words fit together.
func (x *lexicon) check(n int) error {
	if len(x.off) != n+1 || len(x.freq) != n || len(x.dist) != n || len(x.pos) != n || x.off[0] != 0 || int(x.off[n]) != len(x.keys) {
		return errors.New("word arrays of different lengths")
	}
	if !positive(x.total) {
		return fmt.Errorf("total frequency %v", x.total)
	}
	for i := range n {
		if x.off[i+1] <= x.off[i] || int(x.off[i+1]) > len(x.keys) || int(x.pos[i]) >= len(x.posNames) || (i > 0 && x.key(i-1) >= x.key(i)) {
			return fmt.Errorf("word %d: empty, unsorted or with an unknown part of speech", i)
		}
		// newLexicon refuses such a frequency: adding a researcher's words would fail on it.
		if !positive(x.freq[i]) {
			return fmt.Errorf("word %d: frequency %v", i, x.freq[i])
		}
	}
	slots := x.table.slots
	if len(slots) == 0 || len(slots)&(len(slots)-1) != 0 {
		return fmt.Errorf("a table of %d slots, not a power of two", len(slots))
	}
	empty := 0
	for i, s := range slots {
		if s.r < 0 {
			empty++
		} else if s.parent < rootNode || int(s.parent) >= len(slots) || s.pos != noWord && int(s.pos) >= len(x.posNames) {
			return fmt.Errorf("table slot %d out of range", i)
		}
	}
	// The edge filter is only range-checked: checkSample's walks go through it, and a damaged
	// one can only hide words, not make a walk leave the table. A root entry must name a slot
	// that is the root's child for its character: one naming another slot would start walks
	// at the wrong node and make words that are not in the dictionary.
	if len(x.table.root) != rootChars || len(x.table.edges) != edgeWords(len(slots)) {
		return fmt.Errorf("a root array of %d characters or an edge filter of %d words", len(x.table.root), len(x.table.edges))
	}
	for r, node := range x.table.root {
		if node == noNode {
			continue
		}
		if node < 0 || int(node) >= len(slots) {
			return fmt.Errorf("the root's child %q: slot %d out of range", rune(r), node)
		}
		if s := slots[node]; s.parent != rootNode || s.r != rune(r) {
			return fmt.Errorf("the root's child %q: slot %d holds %q under node %d", rune(r), node, s.r, s.parent)
		}
	}
	if empty == 0 {
		return errors.New("a table without an empty slot") // a search for a missing child would not end
	}
	return nil
}

// positive reports whether f is a finite number above 0.
func positive(f float64) bool { return f > 0 && !math.IsInf(f, 0) }

// decoder reads the sections of a cache file; err is set when the data runs out.
type decoder struct {
	b   []byte // the rest of the file's body, which starts at a multiple of cacheAlign
	err error
}

// next returns the next section's data, of size bytes an element.
func (d *decoder) next(size int) (data []byte, n int) {
	if d.err != nil || len(d.b) < 8 {
		d.err = io.ErrUnexpectedEOF
		return nil, 0
	}
	count := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	if count > uint64(len(d.b)/size) {
		d.err = io.ErrUnexpectedEOF
		return nil, 0
	}
	n = int(count)
	data = d.b[:n*size]
	d.b = d.b[min(len(d.b), (n*size+cacheAlign-1)/cacheAlign*cacheAlign):]
	return data, n
}

// text returns the next section as a string sharing the file's memory.
func (d *decoder) text() string {
	data, _ := d.next(1)
	return unsafe.String(unsafe.SliceData(data), len(data))
}

// number is an element type of a cache section.
type number interface {
	int32 | uint16 | float32 | float64 | uint64
}

// section returns the next section as a []T. On a little-endian machine, where the file's
// bytes are the array's, it shares them (a section starts at a multiple of 8 bytes, so the
// elements are aligned); elsewhere it decodes a copy.
func section[T number](d *decoder) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	data, n := d.next(size)
	if n == 0 {
		return []T{}
	}
	if nativeLittleEndian && uintptr(unsafe.Pointer(unsafe.SliceData(data)))%unsafe.Alignof(zero) == 0 {
		return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(data))), n)
	}
	out := make([]T, n)
	for i := range out {
		e := data[i*size:]
		switch p := any(&out[i]).(type) {
		case *int32:
			*p = int32(binary.LittleEndian.Uint32(e))
		case *uint16:
			*p = binary.LittleEndian.Uint16(e)
		case *float32:
			*p = math.Float32frombits(binary.LittleEndian.Uint32(e))
		case *float64:
			*p = math.Float64frombits(binary.LittleEndian.Uint64(e))
		case *uint64:
			*p = binary.LittleEndian.Uint64(e)
		}
	}
	return out
}

// checkSample walks some 500 words, the first and the last among them, through the table
// and checks that each ends on a node holding its weight and part of speech. The table is read
// as it lies in the file, where home() put its nodes: a table hashed another way (home
// changed without a new cacheFormat) would otherwise be read as a dictionary whose words are
// missing, and cut text differently without a word of warning.
func (x *lexicon) checkSample() error {
	n := x.n()
	for i := 0; i < n; i += max(1, n/512) {
		for _, w := range []int{i, n - 1} {
			node := x.table.walk(rootNode, x.key(w))
			if node < 0 || x.table.slots[node].pos != x.pos[w] || x.table.slots[node].dist != x.dist[w] {
				return fmt.Errorf("word %d %q is not in the table as the word list has it", w, x.key(w))
			}
		}
	}
	return nil
}

// slotSection returns the next section as table slots, shared as section does.
func slotSection(d *decoder) []slot {
	data, n := d.next(slotSize)
	if n == 0 {
		return nil
	}
	if nativeLittleEndian && uintptr(unsafe.Pointer(unsafe.SliceData(data)))%unsafe.Alignof(slot{}) == 0 {
		return unsafe.Slice((*slot)(unsafe.Pointer(unsafe.SliceData(data))), n)
	}
	out := make([]slot, n)
	for i := range out {
		e := data[i*slotSize:]
		out[i] = slot{
			parent: int32(binary.LittleEndian.Uint32(e)),
			r:      rune(binary.LittleEndian.Uint32(e[4:])),
			dist:   math.Float32frombits(binary.LittleEndian.Uint32(e[8:])),
			pos:    binary.LittleEndian.Uint16(e[12:]),
			kids:   binary.LittleEndian.Uint16(e[14:]),
		}
	}
	return out
}

// slotBytes returns the bytes of slots in little-endian order, as slotSection reads them.
func slotBytes(slots []slot) []byte {
	out := make([]byte, 0, len(slots)*slotSize)
	for _, s := range slots {
		out = binary.LittleEndian.AppendUint32(out, uint32(s.parent))
		out = binary.LittleEndian.AppendUint32(out, uint32(s.r))
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(s.dist))
		out = binary.LittleEndian.AppendUint16(out, s.pos)
		out = binary.LittleEndian.AppendUint16(out, s.kids)
	}
	return out
}

// littleEndian returns the bytes of v in little-endian order.
func littleEndian[T number](v []T) []byte {
	var zero T
	out := make([]byte, 0, len(v)*int(unsafe.Sizeof(zero)))
	for _, e := range v {
		switch e := any(e).(type) {
		case int32:
			out = binary.LittleEndian.AppendUint32(out, uint32(e))
		case uint16:
			out = binary.LittleEndian.AppendUint16(out, e)
		case float32:
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(e))
		case float64:
			out = binary.LittleEndian.AppendUint64(out, math.Float64bits(e))
		case uint64:
			out = binary.LittleEndian.AppendUint64(out, e)
		}
	}
	return out
}

// nativeLittleEndian is true on a machine that stores numbers least significant byte first.
var nativeLittleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1
