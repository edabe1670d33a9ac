package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"syscall"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/newsfacts/newsfacts/pipeline"
)

// Table names: one folder each under the dataset directory.
const (
	TableDocuments = "documents"
	TableArticles  = "articles"
	TableFacts     = "facts"
	TableEntities  = "entities"
)

// Tables lists the dataset's tables in the order they are written and committed.
var Tables = []string{TableDocuments, TableArticles, TableFacts, TableEntities}

// SuccessFile is written in the dataset directory, last, by Commit.
const SuccessFile = "_SUCCESS"

// Key-value metadata keys set in the footer of every Parquet file.
const (
	MetaToolVersion  = "newsfacts.tool_version"
	MetaRulesVersion = "newsfacts.rules_version"
	MetaConfigHash   = "newsfacts.config_hash"
	MetaRunID        = "newsfacts.run_id"
)

// Rows per row group. The writer holds a whole row group in memory (compressed pages) until
// it is full, so this bounds the sink's memory; a row group is also the unit that readers
// skip or read in parallel. Articles carry their full text, so their groups are smaller.
const (
	rowGroupRows        = 64 * 1024
	articleRowGroupRows = 8 * 1024
)

// Meta identifies a run; it goes into every file's footer and into _SUCCESS.
type Meta struct {
	ToolVersion, RulesVersion, ConfigHash string
	RunID                                 string // names the part files; letters, digits, '.', '_', '-'
}

var runIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// Dataset writes one run's Parquet dataset:
//
//	DIR/documents/part-<run>.parquet
//	DIR/articles/part-<run>.parquet
//	DIR/facts/part-<run>.parquet
//	DIR/entities/part-<run>.parquet
//	DIR/_SUCCESS
//
// While the run goes on, the files are written in DIR/_staging-<run>/<table>/; Commit moves
// them into place. A Dataset is not safe for concurrent use: one sink goroutine owns it.
type Dataset struct {
	dir     string
	staging string
	meta    Meta
	now     func() time.Time

	documents *table[DocumentRow]
	articles  *table[ArticleRow]
	facts     *table[FactRow]
	entities  *table[EntityRow]

	err  error // the first write error; the dataset cannot be committed after it
	done bool  // committed or aborted
}

// Create opens a dataset under dir: four tables, each written as dir/<table>/part-<RunID>.parquet.
// Files are first written inside dir/_staging-<RunID>/ and only moved into place by Commit, so
// a reader never sees a half-written file; Abort removes the staging folder. A staging folder
// left by an earlier run with the same id (a crash) is an error: remove it by hand.
func Create(dir string, meta Meta) (*Dataset, error) {
	if !runIDPattern.MatchString(meta.RunID) {
		return nil, fmt.Errorf("output: run id %q: want letters, digits, '.', '_' or '-'", meta.RunID)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	ds := &Dataset{
		dir:     dir,
		staging: filepath.Join(dir, "_staging-"+meta.RunID),
		meta:    meta,
		now:     time.Now,
	}
	if err := os.Mkdir(ds.staging, 0o755); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("output: %s already exists: another run with id %q is writing, or one crashed (remove the folder)", ds.staging, meta.RunID)
		}
		return nil, fmt.Errorf("output: %w", err)
	}
	var err error
	if ds.documents, err = openTable[DocumentRow](ds, TableDocuments, rowGroupRows); err == nil {
		if ds.articles, err = openTable[ArticleRow](ds, TableArticles, articleRowGroupRows); err == nil {
			if ds.facts, err = openTable[FactRow](ds, TableFacts, rowGroupRows); err == nil {
				ds.entities, err = openTable[EntityRow](ds, TableEntities, rowGroupRows)
			}
		}
	}
	if err != nil {
		ds.Abort()
		return nil, err
	}
	return ds, nil
}

// partName is the file name of this run's part in every table folder.
func (ds *Dataset) partName() string { return "part-" + ds.meta.RunID + ".parquet" }

// Write appends one document's rows to the four tables. After an error the dataset can only
// be aborted. Not safe for concurrent use.
func (ds *Dataset) Write(d *pipeline.Doc) error {
	if ds.done {
		return fmt.Errorf("output: write %s: dataset %s already committed or aborted", d.ID, ds.dir)
	}
	if ds.err != nil {
		return ds.err
	}
	doc, articles, facts, entities := Rows(d, ds.meta.RulesVersion, ds.meta.ToolVersion)
	err := ds.documents.write(d.ID, []DocumentRow{doc})
	if err == nil {
		err = ds.articles.write(d.ID, articles)
	}
	if err == nil {
		err = ds.facts.write(d.ID, facts)
	}
	if err == nil {
		err = ds.entities.write(d.ID, entities)
	}
	ds.err = err
	return err
}

// Counts returns the number of rows written so far, per table.
func (ds *Dataset) Counts() map[string]int64 {
	return map[string]int64{
		TableDocuments: ds.documents.rows,
		TableArticles:  ds.articles.rows,
		TableFacts:     ds.facts.rows,
		TableEntities:  ds.entities.rows,
	}
}

// Success is the content of the _SUCCESS file.
type Success struct {
	RunID        string            `json:"run_id"`
	Time         string            `json:"time"` // RFC 3339, UTC, when the commit finished writing
	ToolVersion  string            `json:"tool_version"`
	RulesVersion string            `json:"rules_version"`
	ConfigHash   string            `json:"config_hash"`
	Counts       map[string]int64  `json:"counts"` // rows per table
	Files        map[string]string `json:"files"`  // table → part file, relative to the dataset folder
}

// Commit finishes the four files and moves them into place, replacing the part files that
// earlier runs left in the table folders (a run writes the whole dataset), then writes
// _SUCCESS last.
//
// Every move is a rename of a complete, synced file within one file system, so no table folder
// ever holds a half-written file. The old _SUCCESS is removed first: while it is absent the
// dataset is being replaced (for an instant a table folder holds both the new part and the
// old ones, which are removed right after), and a reader that wants a consistent snapshot
// checks that _SUCCESS exists and names the run id of the parts it read.
func (ds *Dataset) Commit() error {
	if ds.done {
		return fmt.Errorf("output: commit %s: dataset already committed or aborted", ds.dir)
	}
	if ds.err != nil {
		return fmt.Errorf("output: commit %s: an earlier write failed: %w", ds.dir, ds.err)
	}
	for _, t := range ds.tables() {
		if err := t.finish(); err != nil {
			ds.err = err
			return err
		}
	}

	success := filepath.Join(ds.dir, SuccessFile)
	if err := os.Remove(success); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("output: commit: %w", err)
	}
	files := make(map[string]string, len(Tables))
	for _, t := range ds.tables() {
		if err := ds.install(t.base()); err != nil {
			ds.err = err
			return err
		}
		files[t.base().name] = filepath.ToSlash(filepath.Join(t.base().name, ds.partName()))
	}

	body, err := json.MarshalIndent(Success{
		RunID:        ds.meta.RunID,
		Time:         ds.now().UTC().Format(time.RFC3339),
		ToolVersion:  ds.meta.ToolVersion,
		RulesVersion: ds.meta.RulesVersion,
		ConfigHash:   ds.meta.ConfigHash,
		Counts:       ds.Counts(),
		Files:        files,
	}, "", "  ")
	if err != nil {
		return fmt.Errorf("output: commit: %w", err)
	}
	tmp := filepath.Join(ds.staging, SuccessFile)
	if err := writeFileSync(tmp, append(body, '\n')); err != nil {
		return fmt.Errorf("output: commit: %w", err)
	}
	if err := os.Rename(tmp, success); err != nil {
		return fmt.Errorf("output: commit: %w", err)
	}
	if err := syncDir(ds.dir); err != nil {
		return fmt.Errorf("output: commit: %w", err)
	}
	ds.done = true
	if err := os.RemoveAll(ds.staging); err != nil {
		return fmt.Errorf("output: commit: dataset committed, but: %w", err)
	}
	return nil
}

// install moves one table's finished part into its folder and removes the parts of earlier
// runs from it.
func (ds *Dataset) install(t *tableFile) error {
	folder := filepath.Join(ds.dir, t.name)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return fmt.Errorf("output: commit %s: %w", t.name, err)
	}
	old, err := filepath.Glob(filepath.Join(folder, "part-*.parquet"))
	if err != nil {
		return fmt.Errorf("output: commit %s: %w", t.name, err)
	}
	final := filepath.Join(folder, ds.partName())
	if err := os.Rename(t.path, final); err != nil {
		return fmt.Errorf("output: commit %s: %w", t.name, err)
	}
	for _, p := range old {
		if p == final {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("output: commit %s: removing an earlier run's part: %w", t.name, err)
		}
	}
	if err := syncDir(folder); err != nil {
		return fmt.Errorf("output: commit %s: %w", t.name, err)
	}
	return nil
}

// Abort discards the run: it closes the files and removes the staging folder, leaving the
// dataset as the last committed run left it. Abort after Commit (or a second Abort) does
// nothing, so `defer ds.Abort()` is safe.
func (ds *Dataset) Abort() error {
	if ds.done {
		return nil
	}
	ds.done = true
	for _, t := range ds.tables() {
		t.base().closeFile()
	}
	if err := os.RemoveAll(ds.staging); err != nil {
		return fmt.Errorf("output: abort: %w", err)
	}
	return nil
}

// tableWriter is what Commit and Abort need from a table, whatever its row type.
type tableWriter interface {
	finish() error
	base() *tableFile
}

func (ds *Dataset) tables() []tableWriter {
	var ts []tableWriter
	// Create may fail part way: only the tables it opened.
	if ds.documents != nil {
		ts = append(ts, ds.documents)
	}
	if ds.articles != nil {
		ts = append(ts, ds.articles)
	}
	if ds.facts != nil {
		ts = append(ts, ds.facts)
	}
	if ds.entities != nil {
		ts = append(ts, ds.entities)
	}
	return ts
}

// tableFile is one table's staging file.
type tableFile struct {
	name string // table name
	path string // the staging file
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
	w *parquet.GenericWriter[T]
}

func (t *table[T]) base() *tableFile { return &t.tableFile }

func openTable[T any](ds *Dataset, name string, groupRows int64) (*table[T], error) {
	folder := filepath.Join(ds.staging, name)
	if err := os.Mkdir(folder, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	path := filepath.Join(folder, ds.partName())
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	t := &table[T]{tableFile: tableFile{name: name, path: path, f: f}}
	err = guard(name, path, "", func() error {
		t.w = parquet.NewGenericWriter[T](f,
			parquet.Compression(&parquet.Zstd),
			parquet.MaxRowsPerRowGroup(groupRows),
			parquet.CreatedBy("newsfacts", ds.meta.ToolVersion, ""),
			parquet.KeyValueMetadata(MetaToolVersion, ds.meta.ToolVersion),
			parquet.KeyValueMetadata(MetaRulesVersion, ds.meta.RulesVersion),
			parquet.KeyValueMetadata(MetaConfigHash, ds.meta.ConfigHash),
			parquet.KeyValueMetadata(MetaRunID, ds.meta.RunID),
		)
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
		return err
	})
}

// finish writes the footer, syncs and closes the staging file.
func (t *table[T]) finish() error {
	err := guard(t.name, t.path, "", t.w.Close)
	if err == nil {
		if err = t.f.Sync(); err != nil {
			err = fmt.Errorf("output: %w", err)
		}
	}
	if cerr := t.f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("output: %w", cerr)
	}
	t.f = nil
	return err
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

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
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
	return err
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
