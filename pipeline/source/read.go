package source

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/newsfacts/newsfacts/pipeline"
)

// Read reads one input into a new Doc: Source, Bytes, Size, Format "text", ID (first 16 hex
// digits of the SHA-256 of the bytes), Page and PubDate from the file name when it has them
// (…YYYY-MM-DD… anywhere in the base name → PubDate; "_pNN" or "_pageNN" → Page = NN). stdin
// is read from the given reader. An unreadable file (permission, vanished, a directory) gives a
// Doc with Status failed and Error naming the file and the problem (Doc.Fail("read", err)) — it
// never returns nil.
//
// A PDF file larger than WholeBytes is not read into memory: it is hashed, and left open in
// Doc.OnDisk for decoding to read the pages from (a PDF of tens of MB needed as much memory
// again while it was read).
//
// A nil stdin means os.Stdin. Pages is 1 once the bytes are read. A document that could not be
// read has no bytes to hash: its ID is derived from its path instead (see unreadableID).
func Read(in Input, stdin io.Reader) *pipeline.Doc {
	name := in.Path
	if in.Name != "" {
		name = in.Name
	}
	d := &pipeline.Doc{Source: name, Format: "text"}
	var b []byte
	var disk *pipeline.FileRef
	var err error
	if in.Path == stdinPath {
		if stdin == nil {
			stdin = os.Stdin
		}
		b, err = io.ReadAll(stdin)
	} else {
		if name != stdinPath {
			base := filepath.Base(name)
			d.PubDate = dateInName(base)
			d.Page = pageInName(base)
		}
		var release func()
		b, disk, release, err = readFile(in.Path)
		if release != nil {
			d.Hold(release) // Decode, or whoever drops d unread, gives it back (DropBytes)
			// and, should d be dropped without either, the collector
			runtime.AddCleanup(d, func(release func()) { release() }, release)
		}
	}
	if err != nil {
		d.ID = unreadableID(name)
		d.Fail("read", pathErr(name, err))
		return d
	}
	d.Pages = 1
	if disk != nil {
		d.OnDisk, d.Size, d.Format = disk, disk.Size, "pdf"
		d.ID = IDOf(disk.Sum)
		return d
	}
	d.Bytes = b
	d.Size = int64(len(b))
	d.ID = docID(b)
	if isPDF(b, name) {
		d.Format = "pdf"
	}
	return d
}

// isPDF tells a PDF by its first bytes or its name.
func isPDF(head []byte, path string) bool {
	return bytes.HasPrefix(head, []byte("%PDF-")) || strings.EqualFold(filepath.Ext(path), ".pdf")
}

// docID returns the document id of the given bytes: the first 16 hex digits of their SHA-256.
func docID(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// unreadableID is the id of a document whose bytes could not be read, so that its row in
// the documents table still has a stable key: the docID of "unreadable", a NUL and the path.
func unreadableID(path string) string {
	return docID([]byte("unreadable\x00" + path))
}

// readFile reads a whole file, refusing directories (reading one would fail on some systems
// and return nothing on others) and named pipes, sockets and devices (opening or reading one
// may wait for ever; openRegular). A file larger than WholeBytes first waits for its share of
// BytesInFlight; release gives it back (nil for a smaller file; called already on an error).
// Such a file that is a PDF is hashed rather than read, and returned open in disk.
func readFile(path string) (b []byte, disk *pipeline.FileRef, release func(), err error) {
	f, fi, err := openRegular(path)
	if err != nil {
		return nil, nil, nil, err
	}
	keep := false
	defer func() {
		if !keep {
			f.Close()
		}
	}()
	if fi.Size() > WholeBytes {
		release = take(fi.Size())
		head := make([]byte, 5)
		n, _ := f.ReadAt(head, 0)
		if isPDF(head[:n], path) {
			disk, err = hashOpen(f, fi)
			if err != nil {
				release()
				return nil, nil, nil, err
			}
			keep = true
			return nil, disk, release, nil
		}
	}
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead) // one allocation: ReadFrom stops at EOF
	if _, err := buf.ReadFrom(f); err != nil {
		if release != nil {
			release()
		}
		return nil, nil, nil, err
	}
	return buf.Bytes(), nil, release, nil
}

// hashOpen hashes the open file f, whose Stat was fi, and fails when it changed meanwhile.
func hashOpen(f *os.File, fi os.FileInfo) (*pipeline.FileRef, error) {
	h := sha256.New()
	n, err := io.Copy(h, io.NewSectionReader(f, 0, fi.Size()+1)) // one byte more: a file that grew
	if err != nil {
		return nil, err
	}
	ref := &pipeline.FileRef{File: f, Size: fi.Size(), ModTime: fi.ModTime()}
	if n != fi.Size() || changed(ref) != nil {
		return nil, errors.New("changed while it was read")
	}
	h.Sum(ref.Sum[:0])
	return ref, nil
}

// changed tells whether the file ref holds open has a size or modification time other than
// ref says.
func changed(ref *pipeline.FileRef) error {
	fi, err := ref.File.Stat()
	switch {
	case err != nil:
		return err
	case fi.Size() != ref.Size || !fi.ModTime().Equal(ref.ModTime):
		return fmt.Errorf("changed since it was hashed (%d bytes, modified %s; then %d bytes, modified %s): its id would not name the bytes read",
			ref.Size, ref.ModTime.Format(time.RFC3339Nano), fi.Size(), fi.ModTime().Format(time.RFC3339Nano))
	}
	return nil
}

// dateInName returns the first valid YYYY-MM-DD date in a file name that is not part of a
// longer run of digits, or "".
func dateInName(name string) string {
	for i := 0; i+10 <= len(name); i++ {
		s := name[i : i+10]
		if !isDate(s) || (i > 0 && isDigit(name[i-1])) || (i+10 < len(name) && isDigit(name[i+10])) {
			continue
		}
		if _, err := time.Parse(time.DateOnly, s); err == nil {
			return s
		}
	}
	return ""
}

// isDate reports whether s has the shape DDDD-DD-DD.
func isDate(s string) bool {
	for i := range 10 {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// pageInName returns NN from the first "_pNN" or "_pageNN" (any case) in a file name, or 0.
func pageInName(name string) int {
	lower := strings.ToLower(name)
	for i := strings.Index(lower, "_p"); i >= 0; {
		j := i + len("_p")
		if strings.HasPrefix(lower[j:], "age") {
			j += len("age")
		}
		k := j
		for k < len(lower) && isDigit(lower[k]) {
			k++
		}
		if k > j && k-j <= 4 {
			n, _ := strconv.Atoi(lower[j:k])
			return n
		}
		next := strings.Index(lower[i+1:], "_p")
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
