package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/newsfacts/newsfacts/output/manifest"
	"github.com/newsfacts/newsfacts/pipeline"
)

// Table names: one folder each under the dataset directory.
const (
	TableDocuments = "documents"
	TableArticles  = "articles"
	TableFacts     = "facts"
	TableEntities  = "entities"
)

// Tables lists the dataset's tables in the order they are written and committed; an index
// into it is an index into manifest.Entry.Rows and manifest.Part.Rows.
var Tables = []string{TableDocuments, TableArticles, TableFacts, TableEntities}

// Names in the dataset folder. The tables are symbolic links into the snapshot in force:
//
//	DIR/documents -> _current/documents   (and articles, facts, entities)
//	DIR/_current  -> _snapshots/<run>
//	DIR/_snapshots/<run>/<table>/part-<part>.parquet
//
// so that a commit changes what every table holds with one rename of _current.
const (
	SuccessFile   = "_SUCCESS"     // JSON: the last committed run, the parts and rows in force; written last
	ManifestFile  = "_manifest.db" // output/manifest: what every input was and where its rows are
	CurrentLink   = "_current"     // symbolic link to the snapshot in force
	SnapshotsDir  = "_snapshots"   // one folder per committed snapshot, part files hard-linked
	RunsDir       = "_runs"        // one run record per committed run: <run>.json
	LockFile      = "_lock"        // flock(2)ed by the run writing the dataset
	stagingPrefix = "_staging-"    // _staging-<run>/<table>/part-<part>.parquet while a run writes
	stagingLock   = ".lock"        // inside a staging folder, flock(2)ed by the run that owns it
)

// Key-value metadata keys set in the footer of every Parquet file.
const (
	MetaToolVersion  = "newsfacts.tool_version"
	MetaRulesVersion = "newsfacts.rules_version"
	MetaConfigHash   = "newsfacts.config_hash"
	MetaRunID        = "newsfacts.run_id"
	MetaRewritten    = "newsfacts.rewritten_from" // set on a part rewritten without superseded documents
	MetaCompacted    = "newsfacts.compacted_from" // set on a part merged from small ones: their ids
)

// How a table's files are cut into row groups, and which columns carry no statistics. The
// writer holds a whole row group in memory (compressed pages) until it is full, so these
// bound the sink's memory; a row group is also the unit that readers skip or read in
// parallel. A row group ends at groupRows rows or when it holds rowGroupBytes, whichever
// comes first: articles carry their full text, and one newspaper page can hold a very long one.
type tableLayout struct {
	groupRows int64
	// blobs are columns of long text (an article, a sentence). Their minimum and maximum
	// would be whole texts, copied into every page header and the footer, which doubles the
	// file and the writer's memory and helps no query: they get none.
	blobs []string
}

const (
	rowGroupRows  = 64 * 1024
	rowGroupBytes = 4 << 20
)

var layouts = map[string]tableLayout{
	TableDocuments: {groupRows: rowGroupRows},
	TableArticles:  {groupRows: 8 * 1024, blobs: []string{"text"}},
	TableFacts:     {groupRows: rowGroupRows, blobs: []string{"context"}},
	TableEntities:  {groupRows: rowGroupRows},
}

// DefaultPartDocs is how many documents a part file holds at most. A changed input makes its
// part be rewritten without it, so smaller parts make that cheaper; larger parts make fewer
// files. 1000 pages of a newspaper make parts of a few megabytes.
const DefaultPartDocs = 1000

// Meta identifies a run; it goes into every file's footer, the manifest and _SUCCESS.
type Meta struct {
	ToolVersion, RulesVersion, ConfigHash string
	RunID                                 string // names the parts; letters, digits, '.', '_', '-'
}

// Options shape how a run writes the dataset.
type Options struct {
	// ShardIndex and ShardCount (0 ≤ index < count) say which share of the inputs this run
	// takes; a count of 0 or 1 means the run takes them all. Shards of one dataset run at once,
	// each under its own lock; their commits take turns.
	ShardIndex, ShardCount int
	// PartDocs is the number of documents per part file (default DefaultPartDocs).
	PartDocs int
	// CompactParts: when a run's final commit leaves more than this many parts that hold fewer
	// than MergeDocs documents, the commit merges them into parts of about MergeDocs documents
	// (see Compact). 0 never compacts on its own.
	CompactParts int
	// MergeDocs is the size, in documents, below which a part is small and that merged parts
	// reach (default the larger of PartDocs and DefaultPartDocs: a run that commits every few
	// documents writes parts that compaction merges into parts of the usual size).
	MergeDocs int
	// Log, when set, hears about waits, locks taken over and commits recovered.
	Log func(msg string, args ...any)
}

// Input is what the run knows of the input behind a document, for the manifest.
type Input struct {
	Key       string // absolute, cleaned path; "-" for standard input
	Hash      string // hex SHA-256 of the bytes; "" when they were not read
	Size      int64
	ModTime   int64 // Unix nanoseconds
	ReadAt    int64 // Unix nanoseconds
	MaxBytes  int64 // the budgets in force
	TimeoutMS int64
}

var runIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// Dataset is a dataset folder opened by one run. It holds the run's lock from Open to Close
// (or Abort). The run writes the rows of the documents it processes into new part files in
// its staging folder; Commit makes them part of the dataset, replacing the rows that earlier
// runs wrote for the same inputs. A Dataset is not safe for concurrent use: one sink
// goroutine owns it.
type Dataset struct {
	dir     string
	meta    Meta
	opt     Options
	lock    *dirLock
	staging string   // the staging folder
	slock   *os.File // flock(2)ed staging lock
	now     func() time.Time

	part    *partWriter      // the part being written
	seq     int              // number of the next part
	parts   []manifest.Part  // parts this run finished
	entries []manifest.Entry // one per document written, in order
	keys    map[string]bool
	rows    [manifest.NumTables]int64
	// fileRows is where the rows of the file being written began in the part: a file read in
	// parts (pipeline.Part) is written over several calls of Write.
	fileRows [manifest.NumTables]int64

	removed map[string]bool // inputs whose rows the next commit removes (Remove)
	compact bool            // the final commit compacts whatever the number of small parts

	commits int        // commits done: checkpoints, then the final one
	total   CommitInfo // what the commits so far did

	err  error // the first write error; the run cannot be committed after it
	done bool  // committed or aborted
}

// Open opens the dataset in dir for one run, creating the folder if needed: it takes the lock
// (a *LockedError when another run holds it; a lock left by a dead run is taken over),
// finishes a commit that a killed run left half done, removes what dead runs left in
// staging, and makes this run's staging folder.
func Open(dir string, meta Meta, opt Options) (*Dataset, error) {
	if !runIDPattern.MatchString(meta.RunID) {
		return nil, fmt.Errorf("output: run id %q: want letters, digits, '.', '_' or '-'", meta.RunID)
	}
	if opt.PartDocs <= 0 {
		opt.PartDocs = DefaultPartDocs
	}
	if opt.MergeDocs <= 0 {
		opt.MergeDocs = max(opt.PartDocs, DefaultPartDocs)
	}
	if opt.Log == nil {
		opt.Log = func(string, ...any) {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	if err := checkLayout(dir); err != nil {
		return nil, err
	}
	lock, err := lockDataset(dir, opt.ShardIndex, opt.ShardCount, opt.Log)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{
		dir:     dir,
		meta:    meta,
		opt:     opt,
		lock:    lock,
		staging: filepath.Join(dir, stagingPrefix+meta.RunID),
		now:     time.Now,
		keys:    map[string]bool{},
	}
	err = ds.withManifest(func(m *manifest.Store) error {
		if err := ds.recover(m); err != nil {
			return err
		}
		// Made under the manifest lock, so that no other run's recovery takes the folder for
		// a dead run's before its lock is held.
		return ds.makeStaging()
	})
	if err != nil {
		lock.release()
		return nil, err
	}
	return ds, nil
}

// checkLayout refuses a folder that holds a dataset of the layout before manifests (real
// table folders, no manifest): its rows cannot be matched to inputs.
func checkLayout(dir string) error {
	if manifest.Exists(filepath.Join(dir, ManifestFile)) {
		return nil
	}
	if _, err := os.Lstat(filepath.Join(dir, CurrentLink)); err == nil {
		// Starting again from an empty manifest would drop every row at the next commit.
		return fmt.Errorf("output: %s holds a dataset but its %s is missing: restore it, or move the dataset aside", dir, ManifestFile)
	}
	for _, t := range Tables {
		if fi, err := os.Lstat(filepath.Join(dir, t)); err == nil && fi.Mode()&os.ModeSymlink == 0 {
			return fmt.Errorf("output: %s holds a dataset written by an older newsfacts (a %s folder and no %s): "+
				"move it aside or choose another --out", dir, t, ManifestFile)
		}
	}
	return nil
}

func (ds *Dataset) makeStaging() error {
	if err := os.Mkdir(ds.staging, 0o755); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("output: %s already exists: another run with id %q is writing", ds.staging, ds.meta.RunID)
		}
		return fmt.Errorf("output: %w", err)
	}
	f, err := lockFile(filepath.Join(ds.staging, stagingLock), true)
	if err != nil {
		os.RemoveAll(ds.staging)
		return fmt.Errorf("output: %w", err)
	}
	ds.slock = f
	for _, t := range Tables {
		if err := os.Mkdir(filepath.Join(ds.staging, t), 0o755); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	return nil
}

// withManifest opens the manifest, which waits while another shard commits, and runs fn.
func (ds *Dataset) withManifest(fn func(*manifest.Store) error) (err error) {
	m, err := manifest.Open(filepath.Join(ds.dir, ManifestFile), func() {
		ds.opt.Log("waiting for another run to finish its commit", "manifest", filepath.Join(ds.dir, ManifestFile))
	})
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer func() {
		if cerr := m.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("output: %w", cerr)
		}
	}()
	return fn(m)
}

// Lookup returns what the manifest holds for the given input keys (those it knows).
func (ds *Dataset) Lookup(keys []string) (map[string]manifest.Entry, error) {
	found := make(map[string]manifest.Entry)
	err := ds.withManifest(func(m *manifest.Store) error {
		return m.View(func(tx *manifest.Tx) error {
			for _, k := range keys {
				e, ok, err := tx.Input(k)
				if err != nil {
					return err
				}
				if ok {
					found[k] = e
				}
			}
			return nil
		})
	})
	return found, err
}

// Inputs calls fn with every input the manifest knows, in key order. fn runs while the
// manifest is held: it must not call the Dataset.
func (ds *Dataset) Inputs(fn func(manifest.Entry) error) error {
	return ds.withManifest(func(m *manifest.Store) error {
		return m.View(func(tx *manifest.Tx) error { return tx.Inputs(fn) })
	})
}

// Remove makes the run's final commit remove the rows of these inputs from the dataset, and
// the inputs from the manifest (inputs deleted from the archive: run --prune). A key the
// manifest does not know, or that this run writes, is left alone.
func (ds *Dataset) Remove(keys ...string) {
	if ds.removed == nil {
		ds.removed = map[string]bool{}
	}
	for _, k := range keys {
		ds.removed[k] = true
	}
}

// Compact makes the run's final commit merge every part that holds fewer than MergeDocs
// documents into parts of about MergeDocs, whatever CompactParts says (newsfacts compact).
func (ds *Dataset) Compact() { ds.compact = true }

// partID names the n-th part a run writes.
func partID(runID string, n int) string { return fmt.Sprintf("%s-%05d", runID, n) }

// partFile is the file name of a part in every table folder.
func partFile(id string) string { return "part-" + id + ".parquet" }

// Write appends one document's rows to the part being written, and notes for the manifest
// that in.Key is now this document. After an error the run can only be aborted.
func (ds *Dataset) Write(d *pipeline.Doc, in Input) error {
	if ds.done {
		return fmt.Errorf("output: write %s: dataset %s already committed or aborted", d.ID, ds.dir)
	}
	if ds.err != nil {
		return ds.err
	}
	if in.Key == "" {
		in.Key = d.Source
	}
	if ds.keys[in.Key] {
		return fmt.Errorf("output: write %s: input %s written twice in one run", d.ID, in.Key)
	}
	if ds.part == nil {
		p, err := ds.openPart(partID(ds.meta.RunID, ds.seq), ds.staging, ds.fileMeta())
		if err != nil {
			ds.err = err
			return err
		}
		ds.seq++
		ds.part = p
	}
	p := ds.part
	if d.Part.Index == 0 {
		ds.fileRows = p.rows() // a file read in parts has its rows from here to its last part's
	}
	b := newRowBuilder(d, ds.meta.RulesVersion, ds.meta.ToolVersion)
	doc := b.document()
	na, nf, ne := b.counts()
	// The four tables are four files with writers of their own: written at once, a long
	// document's rows (the sink's one serial step) take the time of its largest table.
	err := inParallel(
		func() error {
			if d.Part.More {
				return nil // a file's row goes with its last part, and counts every part
			}
			return p.documents.write(d.ID, []DocumentRow{doc})
		},
		func() error { return writeBatches(p.articles, d.ID, na, articleBatch, b.articles) },
		func() error { return writeBatches(p.facts, d.ID, nf, rowBatch, b.facts) },
		func() error { return writeBatches(p.entities, d.ID, ne, rowBatch, b.entities) },
	)
	if err != nil {
		ds.err = err
		return err
	}
	if d.Part.More {
		return nil // the input is noted with its last part
	}
	before, after := ds.fileRows, p.rows()
	_, status, stage, msg := d.File()
	e := manifest.Entry{
		Key: in.Key, Source: d.Source,
		Hash: in.Hash, Size: in.Size, ModTime: in.ModTime, ReadAt: in.ReadAt,
		RulesVersion: ds.meta.RulesVersion, ConfigHash: ds.meta.ConfigHash, ToolVersion: ds.meta.ToolVersion,
		MaxBytes: in.MaxBytes, TimeoutMS: in.TimeoutMS,
		Status: status, Stage: stage, Error: msg, DocID: d.ID,
		Run: ds.meta.RunID, Part: p.id,
	}
	for i := range Tables {
		e.Rows[i] = manifest.Span{Start: before[i], End: after[i]}
		ds.rows[i] += after[i] - before[i]
	}
	ds.entries = append(ds.entries, e)
	ds.keys[in.Key] = true
	p.keys = append(p.keys, in.Key)
	if len(p.keys) >= ds.opt.PartDocs {
		return ds.finishPart()
	}
	return nil
}

// finishPart closes the part being written and notes it for the commit.
func (ds *Dataset) finishPart() error {
	p := ds.part
	ds.part = nil
	if err := p.finish(); err != nil {
		ds.err = err
		return err
	}
	ds.parts = append(ds.parts, manifest.Part{ID: p.id, Run: ds.meta.RunID, Rows: p.rows(), Keys: p.keys})
	return nil
}

// Counts returns the number of rows this run has written so far, per table.
func (ds *Dataset) Counts() map[string]int64 {
	m := make(map[string]int64, len(Tables))
	for i, t := range Tables {
		m[t] = ds.rows[i]
	}
	return m
}

// fileMeta is the key-value metadata of the files this run writes.
func (ds *Dataset) fileMeta() []parquet.WriterOption {
	return []parquet.WriterOption{
		parquet.KeyValueMetadata(MetaToolVersion, ds.meta.ToolVersion),
		parquet.KeyValueMetadata(MetaRulesVersion, ds.meta.RulesVersion),
		parquet.KeyValueMetadata(MetaConfigHash, ds.meta.ConfigHash),
		parquet.KeyValueMetadata(MetaRunID, ds.meta.RunID),
	}
}

// Abort discards the run: it closes the files, removes the staging folder and releases the
// lock, leaving the dataset as the last commit left it. Abort after Commit (or a second
// Abort) only makes sure the lock is released, so `defer ds.Abort()` is safe.
func (ds *Dataset) Abort() error {
	if ds.done {
		ds.Close()
		return nil
	}
	ds.done = true
	if ds.part != nil {
		ds.part.close()
		ds.part = nil
	}
	var err error
	if rerr := os.RemoveAll(ds.staging); rerr != nil {
		err = fmt.Errorf("output: abort: %w", rerr)
	}
	ds.Close()
	return err
}

// Close releases the locks. The dataset can no longer be written.
func (ds *Dataset) Close() {
	ds.done = true
	if ds.slock != nil {
		ds.slock.Close()
		ds.slock = nil
	}
	if ds.lock != nil {
		ds.lock.release()
		ds.lock = nil
	}
}

// partWriter is one part being written: a file per table, in one folder's table folders.
type partWriter struct {
	id        string
	keys      []string
	documents *table[DocumentRow]
	articles  *table[ArticleRow]
	facts     *table[FactRow]
	entities  *table[EntityRow]
}

func (ds *Dataset) openPart(id, folder string, meta []parquet.WriterOption) (*partWriter, error) {
	p := &partWriter{id: id}
	name := partFile(id)
	version := ds.meta.ToolVersion
	var err error
	if p.documents, err = openTable[DocumentRow](folder, TableDocuments, name, version, meta); err == nil {
		if p.articles, err = openTable[ArticleRow](folder, TableArticles, name, version, meta); err == nil {
			if p.facts, err = openTable[FactRow](folder, TableFacts, name, version, meta); err == nil {
				p.entities, err = openTable[EntityRow](folder, TableEntities, name, version, meta)
			}
		}
	}
	if err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *partWriter) tables() []tableWriter {
	var ts []tableWriter
	// openPart may fail part way: only the tables it opened.
	if p.documents != nil {
		ts = append(ts, p.documents)
	}
	if p.articles != nil {
		ts = append(ts, p.articles)
	}
	if p.facts != nil {
		ts = append(ts, p.facts)
	}
	if p.entities != nil {
		ts = append(ts, p.entities)
	}
	return ts
}

func (p *partWriter) rows() [manifest.NumTables]int64 {
	return [manifest.NumTables]int64{p.documents.rows, p.articles.rows, p.facts.rows, p.entities.rows}
}

// finish writes the four footers and syncs the files, all four at once: each flushes its last
// row group (up to rowGroupBytes to encode and compress) and waits for its sync, which at the
// end of a run is time no document overlaps. When one fails the others still finish; the
// staged files of a failed part are never named by the manifest.
func (p *partWriter) finish() error {
	ts := p.tables()
	fns := make([]func() error, len(ts))
	for i, t := range ts {
		fns[i] = t.finish
	}
	if err := inParallel(fns...); err != nil {
		p.close()
		return err
	}
	return nil
}

func (p *partWriter) close() {
	for _, t := range p.tables() {
		t.base().closeFile()
	}
}

// tableWriter is what a part needs from a table, whatever its row type.
type tableWriter interface {
	finish() error
	base() *tableFile
}

// tableFile is one table's file being written.
type tableFile struct {
	name string // table name
	path string
	f    *os.File
	rows int64
}

func (t *tableFile) closeFile() {
	if t.f != nil {
		t.f.Close()
		t.f = nil
	}
}

// table is one table's Parquet file being written.
type table[T any] struct {
	tableFile
	w          *parquet.GenericWriter[T]
	groupStart int64     // w.Size() when the row group being written began
	buf        rowBuf[T] // the rows of the batch being written (writeBatches)
}

func (t *table[T]) base() *tableFile { return &t.tableFile }

// openTable creates folder/<name>/<file> and a Parquet writer on it, laid out as
// layouts[name] says.
func openTable[T any](folder, name, file, toolVersion string, meta []parquet.WriterOption) (*table[T], error) {
	path := filepath.Join(folder, name, file)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	t := &table[T]{tableFile: tableFile{name: name, path: path, f: f}}
	err = guard(name, path, "", func() error {
		layout := layouts[name]
		opts := []parquet.WriterOption{
			parquet.Compression(zstdCodec{}),
			parquet.MaxRowsPerRowGroup(layout.groupRows),
			parquet.CreatedBy("newsfacts", toolVersion, ""),
		}
		for _, c := range layout.blobs {
			opts = append(opts, parquet.SkipPageStatistics(c), parquet.SkipPageBounds(c))
		}
		opts = append(opts, meta...)
		t.w = parquet.NewGenericWriter[T](f, opts...)
		return nil
	})
	if err != nil {
		f.Close()
		return nil, err
	}
	return t, nil
}

// write appends rows; the GenericWriter buffers them and writes whole pages and row groups.
func (t *table[T]) write(docID string, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return guard(t.name, t.path, docID, func() error {
		n, err := t.w.Write(rows)
		t.rows += int64(n)
		if err == nil && n != len(rows) {
			err = fmt.Errorf("wrote %d of %d rows", n, len(rows))
		}
		// Size counts the file written so far plus the row group held in memory. The cut
		// depends only on the rows, so a run writes the same files whatever its workers.
		if err == nil && t.w.Size()-t.groupStart >= rowGroupBytes {
			err = t.w.Flush()
			t.groupStart = t.w.Size()
		}
		return err
	})
}

// rowBatch is the most fact or entity rows built and written at once, and articleBatch the
// most article rows (each carries its text): a document with a hundred thousand facts (an
// archive in one file) is written a batch at a time, and a row group is cut between two
// batches when it is full, so that neither its rows nor the writer's buffers hold the whole
// document. A page is one batch.
const (
	rowBatch     = 4096
	articleBatch = 256
)

// writeBatches writes rows [0, n) of a document, built by rows size at a time in the table's
// buffer.
func writeBatches[T any](t *table[T], docID string, n, size int, rows func(buf *rowBuf[T], lo, hi int) []T) error {
	for lo := 0; lo < n; lo += size {
		batch := rows(&t.buf, lo, min(lo+size, n))
		err := t.write(docID, batch)
		t.buf.release(batch)
		if err != nil {
			return err
		}
	}
	return nil
}

// finish writes the footer, syncs and closes the file.
func (t *table[T]) finish() error {
	if t.f == nil {
		return fmt.Errorf("output: %s table %s: file already closed", t.name, t.path)
	}
	err := guard(t.name, t.path, "", t.w.Close)
	if err == nil {
		if err = t.f.Sync(); err != nil {
			err = fmt.Errorf("output: %s table %s: %w", t.name, t.path, err)
		}
	}
	if cerr := t.f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("output: %s table %s: %w", t.name, t.path, cerr)
	}
	t.f = nil
	return err
}

// inParallel runs fns at once and returns the first error in their order.
func inParallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// guard runs one Parquet operation and turns an error or a panic into an error that names the
// table, the file and the document.
func guard(table, path, docID string, fn func() error) (err error) {
	where := fmt.Sprintf("output: %s table %s", table, path)
	if docID != "" {
		where += ", document " + docID
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: panic: %v", where, r)
		}
	}()
	if err := fn(); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// writeFileAtomic writes data to path through a synced temporary file and a rename, so a
// reader sees the old content or the new, never part of it.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDirs syncs folders all at once (see syncDir): each sync waits for the disk, and the
// folders of the four tables do not depend on each other.
func syncDirs(dirs ...string) error {
	fns := make([]func() error, len(dirs))
	for i, dir := range dirs {
		fns[i] = func() error { return syncDir(dir) }
	}
	return inParallel(fns...)
}

// syncDir makes renames and removals in a folder durable. Windows cannot sync a folder, and
// some file systems refuse to; neither is an error.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
