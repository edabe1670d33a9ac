// Package manifest is the memory of a dataset: for every input path it records what the
// input was (content hash, size, modification time), what it was processed with (rule-set,
// configuration and tool versions, budgets), what came of it (status, doc_id) and where its
// rows are (the part file and the row span in each table). A run reads it to skip inputs that
// are already done and writes it, in one transaction, when it commits.
//
// The store is a bbolt file (go.etcd.io/bbolt): embedded, no server, one writer at a time,
// every transaction atomic and fsynced. Holding the store open is also the dataset's commit
// lock: bbolt takes an exclusive flock(2) on the file for as long as it is open, and the
// kernel drops it when the process dies.
//
// Buckets:
//
//	inputs  key → Entry (JSON)     key: the absolute, cleaned path ("-" for standard input)
//	parts   part id → Part (JSON)  the live parts: every table has one file per part
//	meta    "layout" → "1", "snapshot" → the snapshot in force, "pending" → Pending (JSON)
//	runs    run id → the run record (JSON), as written to _runs/<run>.json
package manifest

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Layout is the version of the dataset layout that this package and output write.
const Layout = "1"

// Table indexes into the row spans of an Entry and the row counts of a Part: documents,
// articles, facts, entities, in the order of output.Tables.
const NumTables = 4

var (
	bucketInputs = []byte("inputs")
	bucketParts  = []byte("parts")
	bucketMeta   = []byte("meta")
	bucketRuns   = []byte("runs")

	keyLayout   = []byte("layout")
	keySnapshot = []byte("snapshot")
	keyPending  = []byte("pending")
)

// Span is a range of rows [Start, End) in one table file of a part.
type Span struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
}

// Len is the number of rows in the span.
func (s Span) Len() int64 { return s.End - s.Start }

// Entry is what the manifest knows about one input path.
type Entry struct {
	Key    string `json:"key"`    // absolute path, "-" for standard input
	Source string `json:"source"` // the path as it was given, as in the source column

	// The input as it was read. Hash is the hex SHA-256 of the bytes; it is empty when the
	// input was not read (unreadable, too large). ModTime is in Unix nanoseconds; ReadAt is
	// when the run read it, so that a later run can tell whether size and time alone prove
	// the content unchanged (see Unchanged).
	Hash    string `json:"sha256,omitempty"`
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime_ns,omitempty"`
	ReadAt  int64  `json:"read_at_ns,omitempty"`

	// What it was processed with.
	RulesVersion string `json:"rules_version"`
	ConfigHash   string `json:"config_hash"`
	ToolVersion  string `json:"tool_version"`
	MaxBytes     int64  `json:"max_bytes,omitempty"`
	TimeoutMS    int64  `json:"timeout_ms,omitempty"`

	// What came of it.
	Status string `json:"status"`
	Stage  string `json:"stage,omitempty"`
	Error  string `json:"error,omitempty"`
	DocID  string `json:"doc_id"`
	Run    string `json:"run"` // the run that processed it

	// Where its rows are: the part and the span of rows in each table's file of that part.
	Part string          `json:"part"`
	Rows [NumTables]Span `json:"rows"`
}

// MarshalJSON writes e with its key, source and error (which may name the file) as keyJSON
// writes them: an error read back other than written made a failure never "unchanged".
func (e Entry) MarshalJSON() ([]byte, error) {
	type plain Entry // without these methods
	p := plain(e)
	p.Key, p.Source, p.Error = keyJSON(p.Key), keyJSON(p.Source), keyJSON(p.Error)
	return json.Marshal(p)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (e *Entry) UnmarshalJSON(b []byte) error {
	type plain Entry
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	p.Key, p.Source, p.Error = keyFromJSON(p.Key), keyFromJSON(p.Source), keyFromJSON(p.Error)
	*e = Entry(p)
	return nil
}

// Part is one live part: a file per table, named part-<ID>.parquet, holding the rows of the
// inputs Keys, in that order.
type Part struct {
	ID   string           `json:"id"`
	Run  string           `json:"run"` // the run that wrote this file
	Rows [NumTables]int64 `json:"rows"`
	Keys []string         `json:"keys"`
}

// MarshalJSON writes p with its keys as keyJSON writes them.
func (p Part) MarshalJSON() ([]byte, error) {
	type plain Part // without these methods
	q := plain(p)
	q.Keys = make([]string, len(p.Keys))
	for i, k := range p.Keys {
		q.Keys[i] = keyJSON(k)
	}
	return json.Marshal(q)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (p *Part) UnmarshalJSON(b []byte) error {
	type plain Part
	var q plain
	if err := json.Unmarshal(b, &q); err != nil {
		return err
	}
	for i, k := range q.Keys {
		q.Keys[i] = keyFromJSON(k)
	}
	*p = Part(q)
	return nil
}

// keyJSON is an input's path as the manifest's JSON holds it: as it is when it is UTF-8, and
// otherwise a NUL, which no path holds, then the hex of its bytes. A JSON string holds text
// only: encoding/json wrote U+FFFD for the bytes of a name that is not UTF-8 (GBK names in an
// archive made on Windows), and the path read back was another, which no file had.
func keyJSON(path string) string {
	if utf8.ValidString(path) {
		return path
	}
	return "\x00" + hex.EncodeToString([]byte(path))
}

// keyFromJSON is the path keyJSON wrote.
func keyFromJSON(s string) string {
	if rest, ok := strings.CutPrefix(s, "\x00"); ok {
		if b, err := hex.DecodeString(rest); err == nil {
			return string(b)
		}
	}
	return s
}

// Pending is a commit that has been decided (the manifest already says what the dataset
// holds) but whose file operations may not all have been done: build the snapshot from the
// live parts, point _current at it, write the run record and _SUCCESS, drop the staging
// folder. Every step is idempotent, so a run that finds a Pending left by a dead process
// replays it.
type Pending struct {
	Run         string `json:"run"`
	Snapshot    string `json:"snapshot,omitempty"`     // the snapshot to build; empty when the tables did not change
	Previous    string `json:"previous,omitempty"`     // the snapshot in force before
	Staging     string `json:"staging"`                // folder name (relative to the dataset) holding new part files
	KeepStaging bool   `json:"keep_staging,omitempty"` // a checkpoint: the run goes on writing in Staging
	Success     []byte `json:"success"`                // body of _SUCCESS
	Record      []byte `json:"record"`                 // body of _runs/<run>.json
}

// Store is an open manifest. Only one process holds it open at a time.
type Store struct {
	db   *bolt.DB
	path string
}

// Open opens (creating it if needed) the manifest at path, waiting while another process
// holds it; wait is called once if that happens, so the caller can say so. A layout this
// version does not know is an error.
func Open(path string, wait func()) (*Store, error) {
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		if wait != nil {
			wait()
		}
		db, err = bolt.Open(path, 0o644, &bolt.Options{Timeout: 0})
	}
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	var layout []byte
	err = db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			layout = append([]byte(nil), b.Get(keyLayout)...)
		}
		return nil
	})
	if err == nil && layout == nil {
		err = db.Update(func(tx *bolt.Tx) error {
			for _, name := range [][]byte{bucketInputs, bucketParts, bucketMeta, bucketRuns} {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return err
				}
			}
			return tx.Bucket(bucketMeta).Put(keyLayout, []byte(Layout))
		})
	} else if err == nil && string(layout) != Layout {
		err = fmt.Errorf("layout %q, this newsfacts writes layout %q", layout, Layout)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("manifest %s: %w", path, err)
	}
	return s, nil
}

// Exists reports whether a manifest file is at path.
func Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Close releases the manifest (and with it the commit lock).
func (s *Store) Close() error { return s.db.Close() }

// Path is the manifest's file.
func (s *Store) Path() string { return s.path }

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// Update runs fn in a read-write transaction, committed (and fsynced) when fn returns nil.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// Tx is a transaction over the manifest.
type Tx struct{ tx *bolt.Tx }

func get[T any](b *bolt.Bucket, key string) (T, bool, error) {
	var v T
	raw := b.Get([]byte(key))
	if raw == nil {
		return v, false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, false, fmt.Errorf("manifest: %s %q: %w", b.Tx().DB().Path(), key, err)
	}
	return v, true, nil
}

func put(b *bolt.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), raw)
}

// Input returns the entry of one input key.
func (t *Tx) Input(key string) (Entry, bool, error) {
	return get[Entry](t.tx.Bucket(bucketInputs), key)
}

// PutInput records an entry under its key.
func (t *Tx) PutInput(e Entry) error { return put(t.tx.Bucket(bucketInputs), e.Key, e) }

// DeleteInput forgets an input: its rows are no longer in the dataset.
func (t *Tx) DeleteInput(key string) error { return t.tx.Bucket(bucketInputs).Delete([]byte(key)) }

// Inputs calls fn for every entry, in key order.
func (t *Tx) Inputs(fn func(Entry) error) error {
	return t.tx.Bucket(bucketInputs).ForEach(func(k, v []byte) error {
		var e Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("manifest: input %q: %w", k, err)
		}
		return fn(e)
	})
}

// Part returns one live part.
func (t *Tx) Part(id string) (Part, bool, error) { return get[Part](t.tx.Bucket(bucketParts), id) }

// PutPart records a live part.
func (t *Tx) PutPart(p Part) error { return put(t.tx.Bucket(bucketParts), p.ID, p) }

// DeletePart forgets a part: its files are not in the next snapshot.
func (t *Tx) DeletePart(id string) error { return t.tx.Bucket(bucketParts).Delete([]byte(id)) }

// Parts returns every live part, sorted by id.
func (t *Tx) Parts() ([]Part, error) {
	var parts []Part
	err := t.tx.Bucket(bucketParts).ForEach(func(k, v []byte) error {
		var p Part
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("manifest: part %q: %w", k, err)
		}
		parts = append(parts, p)
		return nil
	})
	sort.Slice(parts, func(i, j int) bool { return parts[i].ID < parts[j].ID })
	return parts, err
}

// Snapshot is the name of the snapshot in force ("" before the first commit).
func (t *Tx) Snapshot() string { return string(t.tx.Bucket(bucketMeta).Get(keySnapshot)) }

// SetSnapshot records the snapshot in force.
func (t *Tx) SetSnapshot(name string) error {
	return t.tx.Bucket(bucketMeta).Put(keySnapshot, []byte(name))
}

// Pending returns the commit still to be finished, or nil.
func (t *Tx) Pending() (*Pending, error) {
	p, ok, err := get[Pending](t.tx.Bucket(bucketMeta), string(keyPending))
	if err != nil || !ok {
		return nil, err
	}
	return &p, nil
}

// SetPending records the commit to finish (nil: none).
func (t *Tx) SetPending(p *Pending) error {
	if p == nil {
		return t.tx.Bucket(bucketMeta).Delete(keyPending)
	}
	return put(t.tx.Bucket(bucketMeta), string(keyPending), p)
}

// PutRun keeps a run record.
func (t *Tx) PutRun(id string, record []byte) error {
	return t.tx.Bucket(bucketRuns).Put([]byte(id), record)
}

// Run returns a run record, or nil.
func (t *Tx) Run(id string) []byte {
	v := t.tx.Bucket(bucketRuns).Get([]byte(id))
	if v == nil {
		return nil
	}
	return append([]byte(nil), v...)
}
