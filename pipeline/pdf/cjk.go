package pdf

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// predef describes a predefined CMap by what its codes are: for every Chinese, Japanese and
// Korean CMap except Identity, the codes are bytes of a known character set (GBK, Big5,
// Shift-JIS, EUC, UHC) or of Unicode, so golang.org/x/text decodes them without a table.
type predef struct {
	name     string
	split    func(s string) int // length of the code at the start of s
	dec      encoding.Encoding  // nil: Unicode (utf16) or Identity
	utf      int                // 16, 8 or 32 for the Uni*-UTF* and -UCS2 CMaps
	seven    bool               // ISO-2022 7-bit codes (GB-H, H, KSC-H): add 0x8080 first
	identity bool
	vertical bool
}

func split1or2(lead func(b byte) bool) func(s string) int {
	return func(s string) int {
		if lead(s[0]) && len(s) >= 2 {
			return 2
		}
		return 1
	}
}

func splitGB18030(s string) int {
	if s[0] < 0x81 || s[0] == 0xFF || len(s) < 2 {
		return 1
	}
	if s[1] >= 0x30 && s[1] <= 0x39 && len(s) >= 4 {
		return 4
	}
	return 2
}

func splitEUCJP(s string) int {
	switch {
	case s[0] == 0x8F && len(s) >= 3:
		return 3
	case (s[0] == 0x8E || s[0] >= 0xA1 && s[0] <= 0xFE) && len(s) >= 2:
		return 2
	}
	return 1
}

func splitUTF16(s string) int {
	if len(s) < 2 {
		return 1
	}
	if s[0] >= 0xD8 && s[0] <= 0xDB && len(s) >= 4 {
		return 4
	}
	return 2
}

func splitUTF8(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return max(n, 1)
}

func split2(s string) int {
	if len(s) < 2 {
		return 1
	}
	return 2
}

func split4(s string) int {
	if len(s) < 4 {
		return len(s)
	}
	return 4
}

var (
	gbkLead  = func(b byte) bool { return b >= 0x81 && b <= 0xFE }
	big5Lead = func(b byte) bool { return b >= 0x81 && b <= 0xFE }
	sjisLead = func(b byte) bool { return b >= 0x81 && b <= 0x9F || b >= 0xE0 && b <= 0xFC }
)

// predefined looks up a predefined CMap by name; ok is false for names it does not know.
func predefined(name string) (predef, bool) {
	base := name
	p := predef{name: name}
	switch {
	case strings.HasSuffix(name, "-H"):
		base = strings.TrimSuffix(name, "-H")
	case strings.HasSuffix(name, "-V"):
		base = strings.TrimSuffix(name, "-V")
		p.vertical = true
	case name == "H" || name == "V":
		p.vertical = name == "V"
		p.split, p.dec, p.seven = split2, japanese.EUCJP, true
		return p, true
	}
	switch base {
	case "Identity":
		p.split, p.identity = split2, true
	case "UniGB-UCS2", "UniGB-UTF16", "UniCNS-UCS2", "UniCNS-UTF16", "UniJIS-UCS2", "UniJIS-UCS2-HW",
		"UniJIS-UTF16", "UniJIS2004-UTF16", "UniJISX0213-UTF16", "UniJISX02132004-UTF16", "UniKS-UCS2", "UniKS-UTF16",
		"UniAKR-UTF16", "Identity-UTF16":
		p.split, p.utf = splitUTF16, 16
	case "UniGB-UTF8", "UniCNS-UTF8", "UniJIS-UTF8", "UniJIS2004-UTF8", "UniKS-UTF8", "UniAKR-UTF8":
		p.split, p.utf = splitUTF8, 8
	case "UniGB-UTF32", "UniCNS-UTF32", "UniJIS-UTF32", "UniJIS2004-UTF32", "UniKS-UTF32", "UniAKR-UTF32":
		p.split, p.utf = split4, 32
	case "GBK-EUC", "GBpc-EUC", "GBKp-EUC", "GB-EUC", "GBT-EUC", "GBTpc-EUC":
		p.split, p.dec = split1or2(gbkLead), simplifiedchinese.GBK
	case "GBK2K":
		p.split, p.dec = splitGB18030, simplifiedchinese.GB18030
	case "GB", "GBT":
		p.split, p.dec, p.seven = split2, simplifiedchinese.GBK, true
	case "B5pc", "B5", "ETen-B5", "ETenms-B5", "HKscs-B5", "HKdla-B5", "HKdlb-B5", "HKgccs-B5", "HKm314-B5", "HKm471-B5":
		p.split, p.dec = split1or2(big5Lead), traditionalchinese.Big5
	case "90ms-RKSJ", "90msp-RKSJ", "90pv-RKSJ", "83pv-RKSJ", "Add-RKSJ", "Ext-RKSJ", "78-RKSJ", "78ms-RKSJ":
		p.split, p.dec = split1or2(sjisLead), japanese.ShiftJIS
	case "EUC", "78-EUC", "Add", "Ext", "NWP":
		p.split, p.dec = splitEUCJP, japanese.EUCJP
	case "KSC-EUC", "KSCms-UHC", "KSCms-UHC-HW", "KSCpc-EUC":
		p.split, p.dec = split1or2(gbkLead), korean.EUCKR
	case "KSC":
		p.split, p.dec, p.seven = split2, korean.EUCKR, true
	default:
		return predef{}, false
	}
	return p, true
}

// decode turns one code of a predefined CMap into text; ok is false when the bytes do not
// decode (a Unicode CMap's lone surrogate, a GBK byte pair outside the table).
func (p predef) decode(code string) (string, bool) {
	switch p.utf {
	case 16:
		u := utf16Units(code)
		s := string(utf16.Decode(u))
		return s, !strings.ContainsRune(s, utf8.RuneError)
	case 8:
		return code, utf8.ValidString(code)
	case 32:
		v := rune(beUint(code))
		return string(v), utf8.ValidRune(v)
	}
	if p.dec == nil {
		return "", false
	}
	b := []byte(code)
	if p.seven {
		for i := range b {
			b[i] |= 0x80
		}
	}
	if len(b) == 1 && b[0] < 0x80 {
		return string(rune(b[0])), true
	}
	out, err := p.dec.NewDecoder().Bytes(b)
	if err != nil || len(out) == 0 || bytes.ContainsRune(out, utf8.RuneError) {
		return "", false
	}
	return string(out), true
}

// cidTable is poppler-data's CID → Unicode table of one character collection.
type cidTable []rune

var cidTables struct {
	sync.Mutex
	m map[string]cidTable
}

// loadCIDTable reads dir/cidToUnicode/Adobe-ORDERING once per process: one hexadecimal code
// point per line, line N for CID N, 0 for none. A missing file gives nil.
func loadCIDTable(dir, registry, ordering string) cidTable {
	if dir == "" || registry != "Adobe" {
		return nil
	}
	switch ordering {
	case "GB1", "CNS1", "Japan1", "Korea1", "KR":
	default:
		return nil
	}
	path := filepath.Join(dir, "cidToUnicode", "Adobe-"+ordering)
	cidTables.Lock()
	defer cidTables.Unlock()
	if t, ok := cidTables.m[path]; ok {
		return t
	}
	if cidTables.m == nil {
		cidTables.m = map[string]cidTable{}
	}
	var t cidTable
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() && len(t) < 1<<17 {
			line := strings.TrimSpace(sc.Text())
			if i := strings.IndexByte(line, ' '); i > 0 {
				line = line[:i]
			}
			v, err := strconv.ParseUint(line, 16, 32)
			if err != nil || !utf8.ValidRune(rune(v)) {
				v = 0
			}
			t = append(t, rune(v))
		}
		f.Close()
	}
	cidTables.m[path] = t
	return t
}

func (t cidTable) lookup(cid uint32) (rune, bool) {
	if int64(cid) < int64(len(t)) && t[cid] != 0 {
		return t[cid], true
	}
	return 0, false
}

// cmapDir returns dir when it is given, else the first usual poppler-data directory that has
// cidToUnicode/ in it, else "".
func cmapDir(dir string) string {
	if dir != "" {
		return dir
	}
	for _, d := range []string{"/usr/share/poppler", "/usr/local/share/poppler", "/opt/homebrew/share/poppler", "/usr/share/poppler-data"} {
		if st, err := os.Stat(filepath.Join(d, "cidToUnicode")); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}
