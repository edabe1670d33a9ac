package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/newsfacts/newsfacts/output/manifest"
	"github.com/newsfacts/newsfacts/pipeline"
)

func testMeta(runID string) Meta {
	return Meta{ToolVersion: toolVersion, RulesVersion: rulesVersion, ConfigHash: "cfg-5e1f", RunID: runID}
}

// in is a document and the input key it is written under (its source when empty).
type in struct {
	d   *pipeline.Doc
	key string
}

func docs(ds ...*pipeline.Doc) []in {
	var ins []in
	for _, d := range ds {
		ins = append(ins, in{d: d})
	}
	return ins
}

// writeRun writes the documents as one committed run.
func writeRun(t *testing.T, dir, runID string, opt Options, ins []in) CommitInfo {
	t.Helper()
	ds, err := Open(dir, testMeta(runID), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	for _, x := range ins {
		if err := ds.Write(x.d, Input{Key: x.key}); err != nil {
			t.Fatal(err)
		}
	}
	info, err := ds.Commit(recordJSON)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func recordJSON(info CommitInfo) ([]byte, error) { return json.Marshal(info) }

// writeDataset writes docs as one committed run, each under its source.
func writeDataset(t *testing.T, dir, runID string, ds ...*pipeline.Doc) CommitInfo {
	t.Helper()
	return writeRun(t, dir, runID, Options{}, docs(ds...))
}

// listFiles returns every file and link under dir, relative, with forward slashes, sorted;
// links are not followed and end in "@".
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case e.Type()&os.ModeSymlink != 0:
			files = append(files, rel+"@")
		case !e.IsDir():
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// partPath is a part's file of one table, through the table's link.
func partPath(dir, table, part string) string {
	return filepath.Join(dir, table, "part-"+part+".parquet")
}

// readAll reads a table as a reader does, every file of its glob, in name order.
func readAll[T any](t *testing.T, dir, table string) []T {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, table, "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []T
	for _, f := range files {
		r, err := parquet.ReadFile[T](f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rows = append(rows, r...)
	}
	return rows
}

// tableParts lists the part files a table holds.
func tableParts(t *testing.T, dir, table string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, table, "*.parquet"))
	for i, f := range files {
		files[i] = filepath.Base(f)
	}
	return files
}

// docWith returns the sample document as another input: its own source and id.
func docWith(t *testing.T, source, id string) *pipeline.Doc {
	d := sampleDoc(t)
	d.Source, d.ID = source, id
	return d
}

// failedAt returns a failed document of another input.
func failedAt(source, id string) *pipeline.Doc {
	d := failedDoc()
	d.Source, d.ID = source, id
	d.Error = source + ": empty file"
	return d
}

// sources returns the source column of the documents table, sorted.
func sources(t *testing.T, dir string) []string {
	t.Helper()
	var s []string
	for _, d := range readAll[DocumentRow](t, dir, TableDocuments) {
		s = append(s, d.Source+"="+d.DocID)
	}
	slices.Sort(s)
	return s
}

func TestDatasetRoundTrip(t *testing.T) {
	dir := t.TempDir()
	info := writeDataset(t, dir, "run1", sampleDoc(t), failedDoc())

	// The layout: the tables link into the snapshot in force, which holds one part.
	wantFiles := []string{
		"_SUCCESS",
		"_current@",
		"_lock",
		"_manifest.db",
		"_runs/run1.json",
		"_snapshots/run1/articles/part-run1-00000.parquet",
		"_snapshots/run1/documents/part-run1-00000.parquet",
		"_snapshots/run1/entities/part-run1-00000.parquet",
		"_snapshots/run1/facts/part-run1-00000.parquet",
		"articles@", "documents@", "entities@", "facts@",
	}
	if got := listFiles(t, dir); !slices.Equal(got, wantFiles) {
		t.Errorf("files after commit = %v, want %v", got, wantFiles)
	}
	wantCounts := map[string]int64{"documents": 2, "articles": 2, "facts": 2, "entities": 1}
	if !reflect.DeepEqual(info.Rows, wantCounts) || !reflect.DeepEqual(info.DatasetRows, wantCounts) {
		t.Errorf("commit info rows %v, dataset %v; want %v", info.Rows, info.DatasetRows, wantCounts)
	}
	if info.Written != 2 || info.PartsWritten != 1 || info.Parts != 1 || info.Snapshot != "run1" || info.Replaced != 0 {
		t.Errorf("commit info = %+v", info)
	}

	// Rows read back equal the rows built, table by table.
	sampleRows, sampleArticles, sampleFacts, sampleEntities := Rows(sampleDoc(t), rulesVersion, toolVersion)
	failedRow, _, _, _ := Rows(failedDoc(), rulesVersion, toolVersion)

	documents, err := parquet.ReadFile[DocumentRow](partPath(dir, "documents", "run1-00000"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []DocumentRow{sampleRows, failedRow}; !reflect.DeepEqual(documents, want) {
		t.Errorf("documents\n got %+v\nwant %+v", documents, want)
	}
	if d := documents[1]; d.Status != "failed" || d.Error == nil || *d.Error != failedError || d.Stage == nil || *d.Stage != "decode" || d.Page != nil {
		t.Errorf("failed document row = %+v", d)
	}
	if articles := readAll[ArticleRow](t, dir, "articles"); !reflect.DeepEqual(articles, sampleArticles) {
		t.Errorf("articles\n got %+v\nwant %+v", articles, sampleArticles)
	}
	facts := readAll[FactRow](t, dir, "facts")
	if !reflect.DeepEqual(facts, sampleFacts) {
		t.Errorf("facts\n got %+v\nwant %+v", facts, sampleFacts)
	}
	// The money fact, value by value (and no row of the failed document).
	money := facts[0]
	if money.Kind != "money" || money.Text != "超300亿元" || money.Value == nil || *money.Value != 3e10 ||
		money.ValueMax != nil || *money.Unit != "CNY" || *money.Qualifier != "over" ||
		money.Start != 27 || money.End != 33 || money.RawStart != 30 || money.RawEnd != 36 ||
		money.Context != "泵业产业规模超300亿元。" || *money.Page != 5 || money.Source != sampleSource {
		t.Errorf("money fact = %+v", money)
	}
	date := facts[1]
	if date.Value != nil || date.Unit != nil || *date.Date != "2023-01" || *date.DateEnd != "2023-09" {
		t.Errorf("date fact = %+v", date)
	}
	entities := readAll[EntityRow](t, dir, "entities")
	if !reflect.DeepEqual(entities, sampleEntities) {
		t.Errorf("entities\n got %+v\nwant %+v", entities, sampleEntities)
	}

	// Every file carries the run's metadata and is zstd-compressed.
	for _, table := range Tables {
		f := openParquet(t, partPath(dir, table, "run1-00000"))
		for key, want := range map[string]string{
			"newsfacts.tool_version":  toolVersion,
			"newsfacts.rules_version": rulesVersion,
			"newsfacts.config_hash":   "cfg-5e1f",
			"newsfacts.run_id":        "run1",
		} {
			if got, ok := f.Lookup(key); !ok || got != want {
				t.Errorf("%s: metadata %s = %q, %v; want %q", table, key, got, ok, want)
			}
		}
		if !strings.HasPrefix(f.Metadata().CreatedBy, "newsfacts version "+toolVersion) {
			t.Errorf("%s: created_by = %q", table, f.Metadata().CreatedBy)
		}
		for _, rg := range f.Metadata().RowGroups {
			for _, c := range rg.Columns {
				if c.MetaData.Codec != format.Zstd {
					t.Errorf("%s: column %v codec %v, want ZSTD", table, c.MetaData.PathInSchema, c.MetaData.Codec)
				}
			}
		}
	}

	// _SUCCESS names the run, its versions, the counts and the parts.
	success := readSuccess(t, dir)
	if success.RunID != "run1" || success.ToolVersion != toolVersion || success.RulesVersion != rulesVersion ||
		success.ConfigHash != "cfg-5e1f" || !reflect.DeepEqual(success.Counts, wantCounts) ||
		!slices.Equal(success.Parts, []string{"run1-00000"}) || success.Snapshot != "run1" || success.Record != "_runs/run1.json" {
		t.Errorf("_SUCCESS = %+v", success)
	}
	if _, err := time.Parse(time.RFC3339, success.Time); err != nil {
		t.Errorf("_SUCCESS time %q: %v", success.Time, err)
	}
	var rec CommitInfo
	if b, err := os.ReadFile(filepath.Join(dir, "_runs", "run1.json")); err != nil || json.Unmarshal(b, &rec) != nil || rec.RunID != "run1" {
		t.Errorf("run record: %s, %v", b, err)
	}

	// The manifest knows both inputs and where their rows are.
	ds, err := Open(dir, testMeta("look"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	m, err := ds.Lookup([]string{sampleSource, failedSource, "nothing"})
	if err != nil {
		t.Fatal(err)
	}
	s, f := m[sampleSource], m[failedSource]
	if len(m) != 2 || s.DocID != sampleID || s.Status != "ok" || s.Part != "run1-00000" ||
		s.Rows != spans(0, 1, 0, 2, 0, 2, 0, 1) || s.RulesVersion != rulesVersion || s.ConfigHash != "cfg-5e1f" {
		t.Errorf("manifest entry of the sample: %+v", s)
	}
	if f.Status != "failed" || f.Stage != "decode" || f.Error != failedError || f.Rows != spans(1, 2, 2, 2, 2, 2, 1, 1) {
		t.Errorf("manifest entry of the failed document: %+v", f)
	}
}

// spans builds the row spans of an entry: start and end in each table.
func spans(n ...int64) [manifest.NumTables]manifest.Span {
	var s [manifest.NumTables]manifest.Span
	for i := range s {
		s[i] = manifest.Span{Start: n[2*i], End: n[2*i+1]}
	}
	return s
}

func readSuccess(t *testing.T, dir string) Success {
	t.Helper()
	var success Success
	body, err := os.ReadFile(filepath.Join(dir, "_SUCCESS"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &success); err != nil {
		t.Fatalf("_SUCCESS is not JSON: %v\n%s", err, body)
	}
	return success
}

func openParquet(t *testing.T, path string) *parquet.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return pf
}

// Until Commit, the files exist only in the staging folder.
func TestDatasetStagingUntilCommit(t *testing.T) {
	dir := t.TempDir()
	ds, err := Open(dir, testMeta("r7"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	if err := ds.Write(sampleDoc(t), Input{}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"_lock",
		"_lock.pid",
		"_manifest.db",
		"_staging-r7/.lock",
		"_staging-r7/articles/part-r7-00000.parquet",
		"_staging-r7/documents/part-r7-00000.parquet",
		"_staging-r7/entities/part-r7-00000.parquet",
		"_staging-r7/facts/part-r7-00000.parquet",
	}
	if got := listFiles(t, dir); !slices.Equal(got, want) {
		t.Errorf("files before commit = %v, want %v", got, want)
	}
}

func TestDatasetAbort(t *testing.T) {
	dir := t.TempDir()
	ds, err := Open(dir, testMeta("aborted"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Write(sampleDoc(t), Input{}); err != nil {
		t.Fatal(err)
	}
	if err := ds.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, want := listFiles(t, dir), []string{"_lock", "_manifest.db"}; !slices.Equal(got, want) {
		t.Errorf("files after abort: %v, want %v", got, want)
	}
	if err := ds.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if err := ds.Write(sampleDoc(t), Input{}); err == nil {
		t.Error("Write after Abort succeeded")
	}
	if _, err := ds.Commit(recordJSON); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	// The lock is free again.
	writeDataset(t, dir, "next", failedDoc())
}

// An aborted run leaves the last committed run as it was.
func TestDatasetAbortKeepsCommittedRun(t *testing.T) {
	dir := t.TempDir()
	writeDataset(t, dir, "good", sampleDoc(t))
	before := listFiles(t, dir)

	ds, err := Open(dir, testMeta("bad"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Write(docWith(t, sampleSource, "changed"), Input{}); err != nil {
		t.Fatal(err)
	}
	if err := ds.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, dir); !slices.Equal(got, before) {
		t.Errorf("files after an aborted second run = %v, want %v", got, before)
	}
	if got := sources(t, dir); !slices.Equal(got, []string{sampleSource + "=" + sampleID}) {
		t.Errorf("documents after an aborted run: %v", got)
	}
}

// A run adds its documents to the dataset; an input written again replaces its rows, and the
// part that held them is rewritten without them.
func TestDatasetReplacesInput(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, "run1", Options{}, docs(docWith(t, "a.txt", "a1"), failedAt("b.txt", "b1"), docWith(t, "c.txt", "c1")))
	info := writeRun(t, dir, "run2", Options{}, docs(failedAt("a.txt", "a2"), docWith(t, "d.txt", "d1")))

	if got, want := sources(t, dir), []string{"a.txt=a2", "b.txt=b1", "c.txt=c1", "d.txt=d1"}; !slices.Equal(got, want) {
		t.Errorf("documents after the second run = %v, want %v", got, want)
	}
	if info.Replaced != 1 || info.PartsWritten != 1 || info.PartsRewritten != 1 || info.PartsRemoved != 0 || info.Parts != 2 {
		t.Errorf("commit info = %+v", info)
	}
	// run1's part, rewritten without a.txt, is run2's second part.
	for _, table := range Tables {
		if got, want := tableParts(t, dir, table), []string{"part-run2-00000.parquet", "part-run2-00001.parquet"}; !slices.Equal(got, want) {
			t.Errorf("%s parts = %v, want %v", table, got, want)
		}
	}
	// The rows of the documents that stay are the rows run1 wrote, in the same order.
	var wantFacts []FactRow
	for _, d := range []*pipeline.Doc{docWith(t, "c.txt", "c1"), docWith(t, "d.txt", "d1")} {
		_, _, f, _ := Rows(d, rulesVersion, toolVersion)
		wantFacts = append(wantFacts, f...)
	}
	slices.SortStableFunc(wantFacts, func(a, b FactRow) int { return strings.Compare(a.DocID, b.DocID) })
	facts := readAll[FactRow](t, dir, TableFacts)
	slices.SortStableFunc(facts, func(a, b FactRow) int { return strings.Compare(a.DocID, b.DocID) })
	if !reflect.DeepEqual(facts, wantFacts) {
		t.Errorf("facts after the rewrite:\n got %+v\nwant %+v", facts, wantFacts)
	}
	rewritten := openParquet(t, partPath(dir, TableFacts, "run2-00001"))
	if from, _ := rewritten.Lookup(MetaRewritten); from != "run1-00000" {
		t.Errorf("rewritten part: %s = %q", MetaRewritten, from)
	}
	if want := (map[string]int64{"documents": 4, "articles": 4, "facts": 4, "entities": 2}); !reflect.DeepEqual(info.DatasetRows, want) {
		t.Errorf("dataset rows %v, want %v", info.DatasetRows, want)
	}
	// Only the snapshot in force and the one before are kept.
	writeRun(t, dir, "run3", Options{}, docs(failedAt("e.txt", "e1")))
	if got, _ := os.ReadDir(filepath.Join(dir, SnapshotsDir)); len(got) != 2 || got[0].Name() != "run2" || got[1].Name() != "run3" {
		t.Errorf("snapshots kept: %v", got)
	}
	if got, want := sources(t, dir), []string{"a.txt=a2", "b.txt=b1", "c.txt=c1", "d.txt=d1", "e.txt=e1"}; !slices.Equal(got, want) {
		t.Errorf("documents after the third run = %v, want %v", got, want)
	}
}

// A part whose every input is written again is dropped, not rewritten.
func TestDatasetDropsSupersededPart(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, "run1", Options{}, docs(docWith(t, "a.txt", "a1"), failedAt("b.txt", "b1")))
	info := writeRun(t, dir, "run2", Options{}, docs(docWith(t, "a.txt", "a1"), failedAt("b.txt", "b2")))
	if info.PartsRemoved != 1 || info.PartsRewritten != 0 || info.Replaced != 2 || info.Parts != 1 {
		t.Errorf("commit info = %+v", info)
	}
	if got, want := sources(t, dir), []string{"a.txt=a1", "b.txt=b2"}; !slices.Equal(got, want) {
		t.Errorf("documents = %v, want %v", got, want)
	}
	if got := tableParts(t, dir, TableArticles); !slices.Equal(got, []string{"part-run2-00000.parquet"}) {
		t.Errorf("articles parts = %v", got)
	}
}

// A run that writes nothing leaves every table file as it was, byte for byte and inode for
// inode; it still leaves its record and _SUCCESS.
func TestDatasetNothingWritten(t *testing.T) {
	dir := t.TempDir()
	writeDataset(t, dir, "run1", sampleDoc(t), failedDoc())
	type stat struct {
		size  int64
		mtime time.Time
		body  string
	}
	snap := func() map[string]stat {
		m := map[string]stat{}
		for _, f := range listFiles(t, dir) {
			if strings.HasPrefix(f, "_snapshots/") || strings.HasSuffix(f, "@") {
				p := filepath.Join(dir, strings.TrimSuffix(f, "@"))
				fi, err := os.Lstat(p)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := os.ReadFile(p)
				m[f] = stat{fi.Size(), fi.ModTime(), string(b)}
			}
		}
		return m
	}
	before := snap()
	info := writeRun(t, dir, "run2", Options{}, nil)
	if after := snap(); !reflect.DeepEqual(before, after) {
		t.Errorf("tables changed by a run that wrote nothing:\n%v\n%v", before, after)
	}
	if info.Snapshot != "run1" || info.Written != 0 || info.Parts != 1 {
		t.Errorf("commit info = %+v", info)
	}
	if s := readSuccess(t, dir); s.RunID != "run2" || s.Snapshot != "run1" || s.Counts["documents"] != 2 {
		t.Errorf("_SUCCESS = %+v", s)
	}
	if _, err := os.Stat(filepath.Join(dir, RunsDir, "run2.json")); err != nil {
		t.Error(err)
	}
	// The first run of a dataset makes its tables, even empty, so that readers find them.
	empty := t.TempDir()
	writeRun(t, empty, "first", Options{}, nil)
	for _, table := range Tables {
		if fi, err := os.Stat(filepath.Join(empty, table)); err != nil || !fi.IsDir() {
			t.Errorf("%s of an empty dataset: %v", table, err)
		}
	}
}

// Parts hold at most PartDocs documents; replacing one input rewrites only its part.
func TestDatasetPartDocs(t *testing.T) {
	dir := t.TempDir()
	var ins []in
	for i := range 5 {
		ins = append(ins, in{d: docWith(t, fmt.Sprintf("p%d.txt", i), fmt.Sprintf("id%d", i))})
	}
	info := writeRun(t, dir, "run1", Options{PartDocs: 2}, ins)
	if info.PartsWritten != 3 {
		t.Errorf("parts written = %d, want 3", info.PartsWritten)
	}
	info = writeRun(t, dir, "run2", Options{PartDocs: 2}, docs(failedAt("p2.txt", "new2")))
	if info.PartsRewritten != 1 || info.Parts != 4 {
		t.Errorf("commit info = %+v", info)
	}
	want := []string{"part-run1-00000.parquet", "part-run1-00002.parquet", "part-run2-00000.parquet", "part-run2-00001.parquet"}
	if got := tableParts(t, dir, TableFacts); !slices.Equal(got, want) {
		t.Errorf("facts parts = %v, want %v", got, want)
	}
	if got := sources(t, dir); len(got) != 5 || !slices.Contains(got, "p2.txt=new2") || slices.Contains(got, "p2.txt=id2") {
		t.Errorf("documents = %v", got)
	}
	if n := len(readAll[FactRow](t, dir, TableFacts)); n != 8 {
		t.Errorf("facts = %d rows, want 8", n)
	}
}

// errCrash stands for the process dying at a crash point.
var errCrash = errors.New("crash")

// A run that dies at any point of its commit leaves a dataset that readers see whole (the
// old one or the new one), and the next run finishes or forgets the commit: no row lost, none
// twice.
func TestDatasetCrashRecovery(t *testing.T) {
	points := []string{"staged", "committed", "snapshot-half", "snapshot", "switched", "recorded"}
	old := []string{"a.txt=a1", "b.txt=b1", "c.txt=c1"}
	updated := []string{"a.txt=a2", "b.txt=b1", "c.txt=c1", "d.txt=d1"}
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			dir := t.TempDir()
			writeRun(t, dir, "run1", Options{}, docs(docWith(t, "a.txt", "a1"), failedAt("b.txt", "b1"), docWith(t, "c.txt", "c1")))

			ds, err := Open(dir, testMeta("run2"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range []*pipeline.Doc{failedAt("a.txt", "a2"), docWith(t, "d.txt", "d1")} {
				if err := ds.Write(d, Input{}); err != nil {
					t.Fatal(err)
				}
			}
			CrashHook = func(p string) {
				if p == point {
					panic(errCrash)
				}
			}
			func() {
				defer func() {
					if r := recover(); r != errCrash {
						t.Fatalf("commit did not reach %s: %v", point, r)
					}
				}()
				ds.Commit(recordJSON)
			}()
			CrashHook = nil
			ds.Close() // the kernel drops a dead process's locks

			// Readers see one whole dataset, the old one or the new one.
			got := sources(t, dir)
			if !slices.Equal(got, old) && !slices.Equal(got, updated) {
				t.Errorf("a reader after a crash at %s sees %v", point, got)
			}
			// The next run recovers.
			var notes []string
			log := func(msg string, args ...any) { notes = append(notes, msg) }
			info := writeRun(t, dir, "run3", Options{Log: log}, nil)
			want := updated
			if point == "staged" {
				want = old
			}
			if got := sources(t, dir); !slices.Equal(got, want) {
				t.Errorf("after recovery from a crash at %s: %v, want %v", point, got, want)
			}
			// Two facts per sample document: a1, c1 before; c1, d1 after.
			if n := len(readAll[FactRow](t, dir, TableFacts)); n != 4 {
				t.Errorf("facts after recovery: %d rows, want 4", n)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, "_staging*")); len(m) != 0 {
				t.Errorf("staging left after recovery: %v", m)
			}
			if point != "staged" {
				if _, err := os.Stat(filepath.Join(dir, RunsDir, "run2.json")); err != nil {
					t.Errorf("no record of the recovered run: %v", err)
				}
			}
			if info.DatasetRows["documents"] != int64(len(want)) {
				t.Errorf("dataset rows after recovery: %v", info.DatasetRows)
			}
			t.Logf("recovery notes: %q", notes)
		})
	}
}

// One writer: a second run is refused with the holder's pid; the lock of a run that died is
// taken over; shards of one dataset run side by side, each under its own lock.
func TestDatasetLock(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(dir, testMeta("first"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir, testMeta("second"), Options{})
	var le *LockedError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("second Open = %v, want a LockedError naming pid %d", err, os.Getpid())
	}
	t.Logf("refused: %v", err)
	_, err = Open(dir, testMeta("shard"), Options{ShardIndex: 1, ShardCount: 2})
	if !errors.As(err, &le) {
		t.Errorf("a shard while an unsharded run writes: %v", err)
	}
	first.Abort()

	// A dead run's lock: its pid file is still there, its flock is gone.
	os.WriteFile(filepath.Join(dir, "_lock.pid"), []byte("pid 999999 on elsewhere since then\n"), 0o644)
	var notes []string
	writeRun(t, dir, "third", Options{Log: func(msg string, args ...any) { notes = append(notes, fmt.Sprint(msg, args)) }}, docs(sampleDoc(t)))
	if len(notes) == 0 || !strings.Contains(notes[0], "pid 999999") {
		t.Errorf("taking over a dead run's lock: notes %q", notes)
	}
	if _, err := os.Stat(filepath.Join(dir, "_lock.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pid file left after the run: %v", err)
	}

	// Shards.
	s0, err := Open(dir, testMeta("s0"), Options{ShardIndex: 0, ShardCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s0.Abort()
	s1, err := Open(dir, testMeta("s1"), Options{ShardIndex: 1, ShardCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Abort()
	if _, err := Open(dir, testMeta("s1bis"), Options{ShardIndex: 1, ShardCount: 2}); !errors.As(err, &le) || le.Shard != 1 {
		t.Errorf("a second run of shard 1: %v", err)
	}
	if _, err := Open(dir, testMeta("all"), Options{}); !errors.As(err, &le) || !strings.Contains(err.Error(), "shard-0: pid") {
		t.Errorf("an unsharded run while shards write: %v", err)
	}
	if err := s0.Write(failedAt("x.txt", "x"), Input{}); err != nil {
		t.Fatal(err)
	}
	if err := s1.Write(failedAt("y.txt", "y"), Input{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.Commit(recordJSON); err != nil {
		t.Fatal(err)
	}
	if _, err := s0.Commit(recordJSON); err != nil {
		t.Fatal(err)
	}
	want := []string{sampleSource + "=" + sampleID, "x.txt=x", "y.txt=y"}
	if got := sources(t, dir); !slices.Equal(got, want) {
		t.Errorf("documents after two shards = %v, want %v", got, want)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"", "../x", "a/b", "run 1"} {
		if _, err := Open(dir, testMeta(id), Options{}); err == nil {
			t.Errorf("Open with run id %q succeeded", id)
		}
	}
	// dir is a file.
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(file, testMeta("x"), Options{}); err == nil {
		t.Error("Open on a file succeeded")
	}
	// A dataset of the layout before manifests.
	old := t.TempDir()
	os.MkdirAll(filepath.Join(old, "facts"), 0o755)
	if _, err := Open(old, testMeta("x"), Options{}); err == nil || !strings.Contains(err.Error(), "older newsfacts") {
		t.Errorf("Open on an old dataset: %v", err)
	}
	// A dataset whose manifest is gone.
	lost := t.TempDir()
	writeDataset(t, lost, "run1", sampleDoc(t))
	os.Remove(filepath.Join(lost, ManifestFile))
	if _, err := Open(lost, testMeta("x"), Options{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Open on a dataset without its manifest: %v", err)
	}
	// The same input twice in one run.
	ds, err := Open(dir, testMeta("twice"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	ds.Write(sampleDoc(t), Input{})
	if err := ds.Write(sampleDoc(t), Input{}); err == nil {
		t.Error("the same input twice in one run")
	}
}

// A failure while finishing a file is an error naming the table and the file, and the run can
// still be aborted cleanly.
func TestCommitErrorNamesFile(t *testing.T) {
	dir := t.TempDir()
	ds, err := Open(dir, testMeta("broken"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Write(sampleDoc(t), Input{}); err != nil {
		t.Fatal(err)
	}
	ds.part.facts.f.Close() // the disk goes away under the writer
	_, err = ds.Commit(recordJSON)
	path := filepath.Join(dir, "_staging-broken", "facts", "part-broken-00000.parquet")
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "facts") {
		t.Fatalf("Commit = %v, want an error naming %s", err, path)
	}
	t.Logf("Commit: %v", err)
	if _, err2 := ds.Commit(recordJSON); err2 == nil {
		t.Error("second Commit after a failed one succeeded")
	}
	if err := ds.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, want := listFiles(t, dir), []string{"_lock", "_manifest.db"}; !slices.Equal(got, want) {
		t.Errorf("files after abort: %v", got)
	}
}

// A panic inside the Parquet library becomes an error naming the table, file and document.
func TestGuardRecoversPanic(t *testing.T) {
	err := guard("facts", "/d/_staging-1/facts/part-1.parquet", "doc9", func() error {
		var rows []FactRow
		_ = rows[3] // index out of range
		return nil
	})
	if err == nil {
		t.Fatal("no error from a panic")
	}
	for _, want := range []string{"facts", "/d/_staging-1/facts/part-1.parquet", "doc9", "panic", "index out of range"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	plain := errors.New("disk full")
	if err := guard("facts", "p", "doc9", func() error { return plain }); !errors.Is(err, plain) {
		t.Errorf("guard lost the error: %v", err)
	}
}

// Row groups are cut at rowGroupRows, and the rows stay in order across them.
func TestDatasetRowGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 70,000 facts")
	}
	d := sampleDoc(t)
	base := d.Facts[0]
	d.Facts = nil
	const n = rowGroupRows + 5000
	for i := range n {
		f := base
		f.Value = f64(float64(i))
		f.Text = fmt.Sprint(i)
		d.Facts = append(d.Facts, f)
	}
	dir := t.TempDir()
	writeDataset(t, dir, "big", d)
	f := openParquet(t, partPath(dir, "facts", "big-00000"))
	if got := len(f.RowGroups()); got != 2 {
		t.Errorf("row groups = %d, want 2", got)
	}
	if got := f.NumRows(); got != n {
		t.Errorf("rows = %d, want %d", got, n)
	}
	facts, err := parquet.ReadFile[FactRow](partPath(dir, "facts", "big-00000"))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range facts {
		if *r.Value != float64(i) {
			t.Fatalf("row %d has value %v", i, *r.Value)
		}
	}
}

// Row groups are also cut at rowGroupBytes, so that long articles do not make the writer hold
// a whole part in memory; the long text columns carry no minimum and maximum, the others do.
func TestDatasetRowGroupBytes(t *testing.T) {
	// Text that zstd cannot shrink much: pseudo-random CJK runes, about 1.5 MB per document.
	rng := rand.New(rand.NewPCG(1, 2))
	var ds []*pipeline.Doc
	var texts []string
	for i := range 8 {
		var b strings.Builder
		for range 500_000 {
			b.WriteRune(rune(0x4e00 + rng.IntN(0x5000)))
		}
		text := b.String()
		n := utf8.RuneCountInString(text)
		d := &pipeline.Doc{ID: fmt.Sprintf("long%d", i), Source: fmt.Sprintf("long%d.txt", i), Format: "text", Status: pipeline.StatusOK,
			Text: text, Articles: []pipeline.Article{{Index: 0, Start: 0, End: n, Headline: fmt.Sprintf("headline %d", i)}}}
		ds = append(ds, d)
		texts = append(texts, text)
	}
	dir := t.TempDir()
	writeDataset(t, dir, "long", ds...)
	f := openParquet(t, partPath(dir, TableArticles, "long-00000"))
	if got := len(f.RowGroups()); got < 2 || got > 8 {
		t.Errorf("row groups = %d, want between 2 and 8 for 8 articles of 1.5 MB", got)
	}
	articles := readAll[ArticleRow](t, dir, TableArticles)
	if len(articles) != len(texts) {
		t.Fatalf("articles = %d, want %d", len(articles), len(texts))
	}
	for i, a := range articles {
		if a.DocID != ds[i].ID || a.Text != texts[i] {
			t.Errorf("article %d is %s with %d bytes of text, want %s with the document's text", i, a.DocID, len(a.Text), ds[i].ID)
		}
	}
	for _, rg := range f.Metadata().RowGroups {
		for _, c := range rg.Columns {
			stats := c.MetaData.Statistics
			name := strings.Join(c.MetaData.PathInSchema, ".")
			switch name {
			case "text":
				if stats.MinValue != nil || stats.MaxValue != nil {
					t.Errorf("column text has a minimum (%d bytes) and maximum (%d bytes)", len(stats.MinValue), len(stats.MaxValue))
				}
			case "headline":
				if !strings.HasPrefix(string(stats.MinValue), "headline") || !strings.HasPrefix(string(stats.MaxValue), "headline") {
					t.Errorf("column headline: min %q max %q, want headlines", stats.MinValue, stats.MaxValue)
				}
			}
		}
	}
}

// A document with more facts than rowBatch is written a batch at a time, and its facts are cut
// into row groups when they pass rowGroupBytes (here, by their sentences in the context
// column), so that neither the rows nor the writer hold the whole document at once; the rows
// stay in order.
func TestDatasetLongDocumentRowGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 11 MB of facts")
	}
	const sentences, size = 12_388, 300 // three batches and some; code points a sentence
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	d := &pipeline.Doc{ID: "archive", Source: "archive.txt", Format: "text", Status: pipeline.StatusOK}
	for i := range sentences {
		for range size {
			b.WriteRune(rune(0x4e00 + rng.IntN(0x5000))) // text that zstd cannot shrink much
		}
		d.Sentences = append(d.Sentences, pipeline.Sentence{Index: i, Start: i * size, End: (i + 1) * size})
		d.Facts = append(d.Facts, pipeline.Fact{Kind: "number", Text: fmt.Sprint(i), Start: i * size, End: i*size + 1, Value: f64(float64(i)), Sentence: i, Rule: "r"})
	}
	d.Text = b.String()
	d.Articles = []pipeline.Article{{Index: 0, Start: 0, End: sentences * size}}
	dir := t.TempDir()
	writeDataset(t, dir, "long", d)
	f := openParquet(t, partPath(dir, TableFacts, "long-00000"))
	if got := len(f.RowGroups()); got < 2 {
		t.Errorf("row groups = %d, want at least 2 for 11 MB of facts in one document", got)
	}
	facts := readAll[FactRow](t, dir, TableFacts)
	if len(facts) != sentences {
		t.Fatalf("facts = %d, want %d", len(facts), sentences)
	}
	for i, r := range facts {
		want := d.Text[i*size*3 : (i+1)*size*3] // three bytes a code point
		if *r.Value != float64(i) || r.Context != want {
			t.Fatalf("row %d: value %v, context of %d bytes; want %d and its sentence", i, *r.Value, len(r.Context), i)
		}
	}
}

// The writer builds every batch of rows in the same memory (rowBuf): a document written after
// another gets none of its values (a unit, a byline, a normalised name where it has none), and
// the context of a fact is its own sentence's, whether the facts of a sentence come together or
// not.
func TestDatasetBatchesStartClean(t *testing.T) {
	first := sampleDoc(t)
	second := sampleDoc(t)
	second.Seq, second.ID, second.Source = 1, "second", "testdata/pages/001_second.txt"
	for i := range second.Articles {
		a := &second.Articles[i]
		a.Byline, a.Reporters, a.RefDate, a.ContinuesOn = "", nil, "", ""
	}
	money, date := second.Facts[0], second.Facts[1]
	money.Value, money.Unit, money.Qualifier, money.Metric, money.Subject = nil, "", "", "", ""
	date.Date, date.DateEnd = "", ""
	second.Facts = []pipeline.Fact{money, money, date, money} // sentences 0, 0, 1, 0
	second.Entities[0].Normalized, second.Entities[0].Role = "", ""
	dir := t.TempDir()
	writeDataset(t, dir, "run1", first, second)

	_, a1, f1, e1 := Rows(first, rulesVersion, toolVersion)
	_, a2, f2, e2 := Rows(second, rulesVersion, toolVersion)
	if got, want := readAll[ArticleRow](t, dir, TableArticles), append(a1, a2...); !reflect.DeepEqual(got, want) {
		t.Errorf("articles\n got %+v\nwant %+v", got, want)
	}
	facts := readAll[FactRow](t, dir, TableFacts)
	if want := append(f1, f2...); !reflect.DeepEqual(facts, want) {
		t.Errorf("facts\n got %+v\nwant %+v", facts, want)
	}
	if len(facts) != 6 {
		t.Fatalf("facts = %d, want 6", len(facts))
	}
	for i, f := range facts[2:] {
		want := sentence0
		if i == 2 {
			want = sentence1
		}
		if f.Context != want || f.Unit != nil || f.Value != nil || f.Date != nil {
			t.Errorf("second document's fact %d = %+v, want context %q and no unit, value or date", i, f, want)
		}
	}
	entities := readAll[EntityRow](t, dir, TableEntities)
	if want := append(e1, e2...); !reflect.DeepEqual(entities, want) {
		t.Errorf("entities\n got %+v\nwant %+v", entities, want)
	}
	if e := entities[1]; e.Normalized != nil || e.Role != nil {
		t.Errorf("second document's entity = %+v, want no normalised name or role", e)
	}
}

// A checkpoint commits what a run has written so far and the run goes on; a run that dies
// after it loses only what it wrote since.
func TestDatasetCheckpoint(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, "run0", Options{}, docs(docWith(t, "a.txt", "a0")))

	ds, err := Open(dir, testMeta("run1"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*pipeline.Doc{docWith(t, "a.txt", "a1"), failedAt("b.txt", "b1")} {
		if err := ds.Write(d, Input{}); err != nil {
			t.Fatal(err)
		}
	}
	info, err := ds.Checkpoint(recordJSON)
	if err != nil {
		t.Fatal(err)
	}
	if info.Final || info.Written != 2 || info.Replaced != 1 || info.Snapshot != "run1" || ds.Uncommitted() != 0 {
		t.Errorf("checkpoint info = %+v", info)
	}
	if got, want := sources(t, dir), []string{"a.txt=a1", "b.txt=b1"}; !slices.Equal(got, want) {
		t.Errorf("documents after the checkpoint = %v, want %v", got, want)
	}
	if s := readSuccess(t, dir); s.RunID != "run1" || s.Snapshot != "run1" {
		t.Errorf("_SUCCESS after the checkpoint = %+v", s)
	}
	// The run goes on, then dies before its next commit.
	if err := ds.Write(docWith(t, "c.txt", "c1"), Input{}); err != nil {
		t.Fatal(err)
	}
	if err := ds.Write(docWith(t, "a.txt", "again"), Input{}); err == nil {
		t.Error("an input written twice across a checkpoint")
	}
	ds.Close()
	info = writeRun(t, dir, "run2", Options{}, docs(docWith(t, "d.txt", "d1")))
	if got, want := sources(t, dir), []string{"a.txt=a1", "b.txt=b1", "d.txt=d1"}; !slices.Equal(got, want) {
		t.Errorf("documents after the dead run = %v, want %v", got, want)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "_staging*")); len(m) != 0 {
		t.Errorf("staging left: %v", m)
	}

	// Checkpoints then a final commit: the counts add up, each commit has its snapshot.
	ds, err = Open(dir, testMeta("run3"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	for i, d := range []*pipeline.Doc{failedAt("e.txt", "e1"), failedAt("f.txt", "f1"), docWith(t, "d.txt", "d3")} {
		if err := ds.Write(d, Input{}); err != nil {
			t.Fatal(err)
		}
		if _, err := ds.Checkpoint(recordJSON); err != nil {
			t.Fatalf("checkpoint %d: %v", i, err)
		}
	}
	info, err = ds.Commit(recordJSON) // nothing new since the last checkpoint
	if err != nil {
		t.Fatal(err)
	}
	if !info.Final || info.Written != 3 || info.Replaced != 1 || info.PartsWritten != 3 || info.Snapshot != "run3.2" {
		t.Errorf("final commit info = %+v", info)
	}
	if got, want := sources(t, dir), []string{"a.txt=a1", "b.txt=b1", "d.txt=d3", "e.txt=e1", "f.txt=f1"}; !slices.Equal(got, want) {
		t.Errorf("documents after checkpoints = %v, want %v", got, want)
	}
	// A commit that changes no table keeps the snapshot in force only.
	if ents, _ := os.ReadDir(filepath.Join(dir, SnapshotsDir)); len(ents) != 1 || ents[0].Name() != "run3.2" {
		t.Errorf("snapshots: %v", ents)
	}
}

// A run that dies in the middle of a checkpoint's commit: the next run finishes it, then
// removes what the dead run had staged since.
func TestDatasetCheckpointCrash(t *testing.T) {
	for _, point := range []string{"committed", "snapshot-half", "switched"} {
		t.Run(point, func(t *testing.T) {
			dir := t.TempDir()
			ds, err := Open(dir, testMeta("run1"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			ds.Write(docWith(t, "a.txt", "a1"), Input{})
			ds.Checkpoint(recordJSON)
			ds.Write(failedAt("b.txt", "b1"), Input{})
			CrashHook = func(p string) {
				if p == point {
					panic(errCrash)
				}
			}
			func() {
				defer func() { recover() }()
				ds.Checkpoint(recordJSON)
			}()
			CrashHook = nil
			ds.Close()
			writeRun(t, dir, "run2", Options{}, nil)
			if got, want := sources(t, dir), []string{"a.txt=a1", "b.txt=b1"}; !slices.Equal(got, want) {
				t.Errorf("documents after recovery = %v, want %v", got, want)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, "_staging*")); len(m) != 0 {
				t.Errorf("staging left: %v", m)
			}
		})
	}
}
