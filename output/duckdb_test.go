//go:build cgo

package output

import (
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// openDuckDB opens an in-memory DuckDB, closed when the test ends.
func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// readParquet is the SQL that reads every file of one table of the dataset in dir.
func readParquet(dir, table string) string {
	glob := filepath.ToSlash(filepath.Join(dir, table, "**", "*.parquet"))
	return "read_parquet('" + strings.ReplaceAll(glob, "'", "''") + "')"
}

// The dataset as analysts read it: one DuckDB query over each table's files (design.md).
func TestDuckDBReadsDataset(t *testing.T) {
	dir := t.TempDir()
	writeDataset(t, dir, "run1", sampleDoc(t), failedDoc())

	db := openDuckDB(t)
	table := func(name string) string { return readParquet(dir, name) }

	// facts: kind, value, unit, qualifier in document order.
	rows, err := db.Query(`SELECT kind, value, unit, qualifier FROM ` + table("facts") + ` ORDER BY start`)
	if err != nil {
		t.Fatal(err)
	}
	type fact struct {
		Kind      string
		Value     sql.NullFloat64
		Unit      sql.NullString
		Qualifier sql.NullString
	}
	var facts []fact
	for rows.Next() {
		var f fact
		if err := rows.Scan(&f.Kind, &f.Value, &f.Unit, &f.Qualifier); err != nil {
			t.Fatal(err)
		}
		facts = append(facts, f)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	wantFacts := []fact{
		{"money", sql.NullFloat64{Float64: 3e10, Valid: true}, sql.NullString{String: "CNY", Valid: true}, sql.NullString{String: "over", Valid: true}},
		{"date", sql.NullFloat64{}, sql.NullString{}, sql.NullString{}},
	}
	if !reflect.DeepEqual(facts, wantFacts) {
		t.Errorf("facts = %+v, want %+v", facts, wantFacts)
	}

	// documents: both inputs, the failed one with its reason.
	var n int64
	if err := db.QueryRow(`SELECT count(*) FROM ` + table("documents")).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("documents: %d rows, want 2", n)
	}
	var (
		status, stage, errMsg string
		page                  sql.NullInt32
		chars                 int32
		elapsed               float64
	)
	err = db.QueryRow(`SELECT status, stage, error, page, chars, elapsed_ms FROM `+table("documents")+` WHERE doc_id = ?`, failedID).
		Scan(&status, &stage, &errMsg, &page, &chars, &elapsed)
	if err != nil {
		t.Fatal(err)
	}
	if status != "failed" || stage != "decode" || errMsg != failedError || page.Valid || chars != 0 {
		t.Errorf("failed document: %s %s %q %v %d", status, stage, errMsg, page, chars)
	}
	err = db.QueryRow(`SELECT status, page, chars, elapsed_ms FROM `+table("documents")+` WHERE doc_id = ?`, sampleID).
		Scan(&status, &page, &chars, &elapsed)
	if err != nil {
		t.Fatal(err)
	}
	if status != "ok" || page.Int32 != 5 || chars != 74 || elapsed != 12.5 {
		t.Errorf("sample document: %s %v %d %v", status, page, chars, elapsed)
	}

	// articles: the list column and the reserved word "end".
	var (
		headline, reporters, text, typ string
		start, end                     int32
		byline, continues              sql.NullString
	)
	err = db.QueryRow(`SELECT headline, byline, array_to_string(reporters, ','), typeof(reporters), start, "end", text, continues_on
		FROM `+table("articles")+` ORDER BY article LIMIT 1`).
		Scan(&headline, &byline, &reporters, &typ, &start, &end, &text, &continues)
	if err != nil {
		t.Fatal(err)
	}
	if headline != "聚链成群，产值超300亿元" || byline.String != "记者 赵碧莹" || reporters != "赵碧莹" || typ != "VARCHAR[]" ||
		start != 0 || end != 50 || text != article0Text || continues.Valid {
		t.Errorf("article 0: %q %v %q %s %d %d %q %v", headline, byline, reporters, typ, start, end, text, continues)
	}
	if err := db.QueryRow(`SELECT count(*) FROM ` + table("articles")).Scan(&n); err != nil || n != 2 {
		t.Errorf("articles: %d rows, %v; want 2", n, err)
	}

	// entities.
	var kind, name, role, rule string
	var normalized sql.NullString
	var rawStart int32
	err = db.QueryRow(`SELECT kind, text, role, normalized, rule, raw_start FROM `+table("entities")).
		Scan(&kind, &name, &role, &normalized, &rule, &rawStart)
	if err != nil {
		t.Fatal(err)
	}
	if kind != "person" || name != "赵碧莹" || role != "reporter" || normalized.String != "赵碧莹" || rule != "person.byline" || rawStart != 20 {
		t.Errorf("entity: %s %s %s %v %s %d", kind, name, role, normalized, rule, rawStart)
	}

	// facts: the remaining columns of the money fact, with the types analysts get.
	var (
		ftext, context, source, rulesV, date, valueType string
		sentence                                        int32
	)
	err = db.QueryRow(`SELECT text, context, source, rules_version, coalesce(date, '-'), typeof(value), sentence
		FROM `+table("facts")+` WHERE kind = 'money'`).
		Scan(&ftext, &context, &source, &rulesV, &date, &valueType, &sentence)
	if err != nil {
		t.Fatal(err)
	}
	if ftext != "超300亿元" || context != sentence0 || source != sampleSource || rulesV != rulesVersion ||
		date != "-" || valueType != "DOUBLE" || sentence != 0 {
		t.Errorf("money fact: %q %q %q %q %q %s %d", ftext, context, source, rulesV, date, valueType, sentence)
	}
	var dateEnd string
	if err := db.QueryRow(`SELECT date_end FROM ` + table("facts") + ` WHERE kind = 'date'`).Scan(&dateEnd); err != nil || dateEnd != "2023-09" {
		t.Errorf("date fact: date_end %q, %v", dateEnd, err)
	}

	// The file metadata, as DuckDB sees it.
	var version string
	err = db.QueryRow(`SELECT decode(value) FROM parquet_kv_metadata('`+filepath.ToSlash(partPath(dir, "facts", "run1-00000"))+`')
		WHERE decode(key) = ?`, "newsfacts.rules_version").Scan(&version)
	if err != nil || version != rulesVersion {
		t.Errorf("rules_version metadata = %q, %v", version, err)
	}
}

// After incremental runs, one glob per table still reads every input once: the replaced
// rows are gone, the rows of inputs not written again are there.
func TestDuckDBReadsIncrementalDataset(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, "run1", Options{}, docs(docWith(t, "a.txt", "a1"), failedAt("b.txt", "b1"), docWith(t, "c.txt", "c1")))
	writeRun(t, dir, "run2", Options{}, docs(docWith(t, "a.txt", "a2"), docWith(t, "d.txt", "d1")))

	db := openDuckDB(t)
	glob := func(name string) string { return readParquet(dir, name) }
	var docs, distinct, facts int
	var ids string
	err := db.QueryRow(`SELECT count(*), count(DISTINCT source), string_agg(doc_id, ',' ORDER BY source) FROM `+glob("documents")).Scan(&docs, &distinct, &ids)
	if err != nil {
		t.Fatal(err)
	}
	if docs != 4 || distinct != 4 || ids != "a2,b1,c1,d1" {
		t.Errorf("documents: %d rows, %d sources, ids %s; want 4, 4, a2,b1,c1,d1", docs, distinct, ids)
	}
	if err := db.QueryRow(`SELECT count(*) FROM ` + glob("facts") + ` WHERE doc_id IN ('a1', 'a2', 'c1', 'd1')`).Scan(&facts); err != nil || facts != 6 {
		t.Errorf("facts: %d, %v; want 6 (none of a1)", facts, err)
	}
}

// A file name that is not UTF-8 (GBK, from an archive unzipped from Windows) is written with
// its stray bytes as \xHH, in source and in an error naming the file: a STRING column holding
// the raw bytes made DuckDB refuse the whole file ("Invalid string encoding").
func TestDuckDBReadsNonUTF8Names(t *testing.T) {
	dir := t.TempDir()
	gbk := "gbk/\xC8\xCB\xC3\xF1\xC8\xD5\xB1\xA8_p01.txt" // 人民日报 in GBK
	writeRun(t, dir, "run1", Options{}, docs(docWith(t, gbk, "g1"), failedAt("bad/\xB1\xA8.txt", "g2")))

	db := openDuckDB(t)
	glob := func(name string) string { return readParquet(dir, name) }
	var got []string
	rows, err := db.Query(`SELECT source, coalesce(error, '') FROM ` + glob("documents") + ` ORDER BY source`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var source, msg string
		if err := rows.Scan(&source, &msg); err != nil {
			t.Fatal(err)
		}
		got = append(got, source+" | "+msg)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`bad/\xB1\xA8.txt | bad/\xB1\xA8.txt: empty file`,
		`gbk/\xC8\xCB\xC3\xF1\xC8\xD5\xB1\xA8_p01.txt | `,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("documents:\n%q\nwant\n%q", got, want)
	}
	var facts int
	var source string
	if err := db.QueryRow(`SELECT count(*), any_value(source) FROM `+glob("facts")).Scan(&facts, &source); err != nil || facts == 0 || source != want[1][:len(want[1])-3] {
		t.Errorf("facts: %d rows, source %q, %v", facts, source, err)
	}
}
