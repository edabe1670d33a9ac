//go:build cgo

package output

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// duckRows reads every row of a table's files as DuckDB does over a glob, each row as text,
// sorted.
func duckRows(t *testing.T, db *sql.DB, folder string) []string {
	t.Helper()
	glob := filepath.ToSlash(filepath.Join(folder, "*.parquet"))
	rows, err := db.Query(`SELECT CAST(r AS VARCHAR) FROM read_parquet('` + strings.ReplaceAll(glob, "'", "''") + `') r`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// Compaction as analysts see it: DuckDB over DIR/<table>/*.parquet reads the same rows, to the
// last column, before and after, from far fewer files; a reader that resolved the tables just
// before the compaction still reads its whole snapshot.
func TestDuckDBCompaction(t *testing.T) {
	dir := t.TempDir()
	opt := Options{MergeDocs: 5}
	for i := range 12 {
		var ins []in
		ins = append(ins, in{d: docWith(t, fmt.Sprintf("p%d.txt", i), fmt.Sprintf("id%d", i))})
		if i%3 == 0 {
			ins = append(ins, in{d: failedAt(fmt.Sprintf("f%d.txt", i), fmt.Sprintf("fid%d", i))})
		}
		writeRun(t, dir, fmt.Sprintf("run%02d", i), opt, ins)
	}
	// A replaced input, so that a rewritten part (run03's without p3) is among those merged.
	writeRun(t, dir, "run12", opt, docs(failedAt("p3.txt", "new3")))

	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before := map[string][]string{}
	old := map[string]string{} // the snapshot folder each table resolved to
	for _, table := range Tables {
		before[table] = duckRows(t, db, filepath.Join(dir, table))
		if len(tableParts(t, dir, table)) != 13 {
			t.Fatalf("%s: %d files before compaction, want 13", table, len(tableParts(t, dir, table)))
		}
		old[table], err = filepath.EvalSymlinks(filepath.Join(dir, table))
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(before[TableDocuments]) != 16 || len(before[TableFacts]) == 0 {
		t.Fatalf("before: %d documents, %d facts", len(before[TableDocuments]), len(before[TableFacts]))
	}

	ds, err := Open(dir, testMeta("compact"), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	ds.Compact()
	info, err := ds.Commit(recordJSON)
	if err != nil {
		t.Fatal(err)
	}
	// 13 parts of 1 or 2 documents, 16 documents: three groups of 5 documents, the last
	// part left alone.
	if info.PartsCompacted != 12 || info.PartsMerged != 3 || info.Parts != 4 {
		t.Errorf("compaction: %+v", info)
	}
	for _, table := range Tables {
		if got := duckRows(t, db, filepath.Join(dir, table)); !slices.Equal(got, before[table]) {
			t.Errorf("%s: %d rows after compaction, %d before, or not the same rows", table, len(got), len(before[table]))
		}
		if n := len(tableParts(t, dir, table)); n != info.Parts {
			t.Errorf("%s: %d files after compaction, want %d", table, n, info.Parts)
		}
		if got := duckRows(t, db, old[table]); !slices.Equal(got, before[table]) {
			t.Errorf("%s: the snapshot a reader resolved before the compaction changed under it", table)
		}
	}
	checkManifest(t, dir)
}
