package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/newsfacts/newsfacts/pipeline"
)

func testMeta(runID string) Meta {
	return Meta{ToolVersion: toolVersion, RulesVersion: rulesVersion, ConfigHash: "cfg-5e1f", RunID: runID}
}

// writeDataset writes docs as one committed run.
func writeDataset(t *testing.T, dir, runID string, docs ...*pipeline.Doc) *Dataset {
	t.Helper()
	ds, err := Create(dir, testMeta(runID))
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	for _, d := range docs {
		if err := ds.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := ds.Commit(); err != nil {
		t.Fatal(err)
	}
	return ds
}

// listFiles returns every file under dir, relative, with forward slashes, sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

func partPath(dir, table, runID string) string {
	return filepath.Join(dir, table, "part-"+runID+".parquet")
}

func TestDatasetRoundTrip(t *testing.T) {
	dir := t.TempDir()
	ds := writeDataset(t, dir, "run1", sampleDoc(t), failedDoc())

	// The layout: one part per table, _SUCCESS, and no staging folder.
	wantFiles := []string{
		"_SUCCESS",
		"articles/part-run1.parquet",
		"documents/part-run1.parquet",
		"entities/part-run1.parquet",
		"facts/part-run1.parquet",
	}
	if got := listFiles(t, dir); !slices.Equal(got, wantFiles) {
		t.Errorf("files after commit = %v, want %v", got, wantFiles)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "_staging*")); len(m) != 0 {
		t.Errorf("staging left after commit: %v", m)
	}
	wantCounts := map[string]int64{"documents": 2, "articles": 2, "facts": 2, "entities": 1}
	if got := ds.Counts(); !reflect.DeepEqual(got, wantCounts) {
		t.Errorf("Counts() = %v, want %v", got, wantCounts)
	}

	// Rows read back equal the rows built, table by table.
	sampleRows, sampleArticles, sampleFacts, sampleEntities := Rows(sampleDoc(t), rulesVersion, toolVersion)
	failedRow, _, _, _ := Rows(failedDoc(), rulesVersion, toolVersion)

	documents, err := parquet.ReadFile[DocumentRow](partPath(dir, "documents", "run1"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []DocumentRow{sampleRows, failedRow}; !reflect.DeepEqual(documents, want) {
		t.Errorf("documents\n got %+v\nwant %+v", documents, want)
	}
	if d := documents[1]; d.Status != "failed" || d.Error == nil || *d.Error != failedError || d.Stage == nil || *d.Stage != "decode" || d.Page != nil {
		t.Errorf("failed document row = %+v", d)
	}

	articles, err := parquet.ReadFile[ArticleRow](partPath(dir, "articles", "run1"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(articles, sampleArticles) {
		t.Errorf("articles\n got %+v\nwant %+v", articles, sampleArticles)
	}

	facts, err := parquet.ReadFile[FactRow](partPath(dir, "facts", "run1"))
	if err != nil {
		t.Fatal(err)
	}
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

	entities, err := parquet.ReadFile[EntityRow](partPath(dir, "entities", "run1"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(entities, sampleEntities) {
		t.Errorf("entities\n got %+v\nwant %+v", entities, sampleEntities)
	}
	if e := entities[0]; e.Kind != "person" || e.Text != "赵碧莹" || e.Role == nil || *e.Role != "reporter" {
		t.Errorf("entity = %+v", e)
	}

	// Every file carries the run's metadata and is zstd-compressed.
	for _, table := range Tables {
		f := openParquet(t, partPath(dir, table, "run1"))
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

	// _SUCCESS names the run, its versions, the counts and the files.
	var success Success
	body, err := os.ReadFile(filepath.Join(dir, "_SUCCESS"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &success); err != nil {
		t.Fatalf("_SUCCESS is not JSON: %v\n%s", err, body)
	}
	if success.RunID != "run1" || success.ToolVersion != toolVersion || success.RulesVersion != rulesVersion ||
		success.ConfigHash != "cfg-5e1f" || !reflect.DeepEqual(success.Counts, wantCounts) ||
		success.Files["facts"] != "facts/part-run1.parquet" {
		t.Errorf("_SUCCESS = %+v", success)
	}
	if _, err := time.Parse(time.RFC3339, success.Time); err != nil {
		t.Errorf("_SUCCESS time %q: %v", success.Time, err)
	}
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
	ds, err := Create(dir, testMeta("r7"))
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	if err := ds.Write(sampleDoc(t)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"_staging-r7/articles/part-r7.parquet",
		"_staging-r7/documents/part-r7.parquet",
		"_staging-r7/entities/part-r7.parquet",
		"_staging-r7/facts/part-r7.parquet",
	}
	if got := listFiles(t, dir); !slices.Equal(got, want) {
		t.Errorf("files before commit = %v, want %v", got, want)
	}
}

func TestDatasetAbort(t *testing.T) {
	dir := t.TempDir()
	ds, err := Create(dir, testMeta("aborted"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Write(sampleDoc(t)); err != nil {
		t.Fatal(err)
	}
	if err := ds.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, dir); len(got) != 0 {
		t.Errorf("files after abort: %v", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("folders after abort: %v", entries)
	}
	if err := ds.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if err := ds.Write(sampleDoc(t)); err == nil {
		t.Error("Write after Abort succeeded")
	}
	if err := ds.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

// An aborted run leaves the last committed run as it was.
func TestDatasetAbortKeepsCommittedRun(t *testing.T) {
	dir := t.TempDir()
	writeDataset(t, dir, "good", sampleDoc(t))
	before := listFiles(t, dir)

	ds, err := Create(dir, testMeta("bad"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Write(failedDoc()); err != nil {
		t.Fatal(err)
	}
	if err := ds.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, dir); !slices.Equal(got, before) {
		t.Errorf("files after an aborted second run = %v, want %v", got, before)
	}
}

// A second run's Commit replaces the first run's parts: no table holds both.
func TestDatasetCommitReplacesEarlierRun(t *testing.T) {
	dir := t.TempDir()
	writeDataset(t, dir, "run1", sampleDoc(t), failedDoc())
	// A file that is not a part is left alone.
	notes := filepath.Join(dir, "facts", "README.txt")
	if err := os.WriteFile(notes, []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeDataset(t, dir, "run2", failedDoc())

	want := []string{
		"_SUCCESS",
		"articles/part-run2.parquet",
		"documents/part-run2.parquet",
		"entities/part-run2.parquet",
		"facts/README.txt",
		"facts/part-run2.parquet",
	}
	if got := listFiles(t, dir); !slices.Equal(got, want) {
		t.Errorf("files after the second run = %v, want %v", got, want)
	}
	documents, err := parquet.ReadFile[DocumentRow](partPath(dir, "documents", "run2"))
	if err != nil {
		t.Fatal(err)
	}
	if len(documents) != 1 || documents[0].DocID != failedID {
		t.Errorf("documents after the second run = %+v", documents)
	}
	// A table with no rows is still a readable file with the schema.
	facts, err := parquet.ReadFile[FactRow](partPath(dir, "facts", "run2"))
	if err != nil || len(facts) != 0 {
		t.Errorf("facts after the second run = %v, %v", facts, err)
	}
	body, _ := os.ReadFile(filepath.Join(dir, "_SUCCESS"))
	if !strings.Contains(string(body), `"run_id": "run2"`) {
		t.Errorf("_SUCCESS after the second run:\n%s", body)
	}

	// Running again with the same id replaces the part in place.
	writeDataset(t, dir, "run2", sampleDoc(t))
	if got := listFiles(t, dir); !slices.Equal(got, want) {
		t.Errorf("files after rerunning run2 = %v, want %v", got, want)
	}
	documents, err = parquet.ReadFile[DocumentRow](partPath(dir, "documents", "run2"))
	if err != nil || len(documents) != 1 || documents[0].DocID != sampleID {
		t.Errorf("documents after rerunning run2 = %+v, %v", documents, err)
	}
}

func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"", "../x", "a/b", "run 1"} {
		if _, err := Create(dir, testMeta(id)); err == nil {
			t.Errorf("Create with run id %q succeeded", id)
		}
	}
	// A staging folder of the same run id (another writer, or a crash) is not overwritten.
	ds, err := Create(dir, testMeta("same"))
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	_, err = Create(dir, testMeta("same"))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "_staging-same")) {
		t.Errorf("second Create with the same run id: %v", err)
	}
	// dir is a file.
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(file, testMeta("x")); err == nil {
		t.Error("Create on a file succeeded")
	}
}

// A failure while finishing a file is an error naming the table and the file, and the run can
// still be aborted cleanly.
func TestCommitErrorNamesFile(t *testing.T) {
	dir := t.TempDir()
	ds, err := Create(dir, testMeta("broken"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Write(sampleDoc(t)); err != nil {
		t.Fatal(err)
	}
	ds.facts.f.Close() // the disk goes away under the writer
	err = ds.Commit()
	path := filepath.Join(dir, "_staging-broken", "facts", "part-broken.parquet")
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "facts") {
		t.Fatalf("Commit = %v, want an error naming %s", err, path)
	}
	t.Logf("Commit: %v", err)
	if err2 := ds.Commit(); err2 == nil {
		t.Error("second Commit after a failed one succeeded")
	}
	if err := ds.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, dir); len(got) != 0 {
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
	f := openParquet(t, partPath(dir, "facts", "big"))
	if got := len(f.RowGroups()); got != 2 {
		t.Errorf("row groups = %d, want 2", got)
	}
	if got := f.NumRows(); got != n {
		t.Errorf("rows = %d, want %d", got, n)
	}
	facts, err := parquet.ReadFile[FactRow](partPath(dir, "facts", "big"))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range facts {
		if *r.Value != float64(i) {
			t.Fatalf("row %d has value %v", i, *r.Value)
		}
	}
}
