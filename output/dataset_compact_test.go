package output

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsfacts/newsfacts/output/manifest"
)

// checkManifest checks that the manifest and the files agree: every input's part is live,
// every part lists inputs whose rows it holds, the spans of a part's inputs tile its files,
// and each file holds the rows the manifest says.
func checkManifest(t *testing.T, dir string) {
	t.Helper()
	m, err := manifest.Open(filepath.Join(dir, ManifestFile), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	err = m.View(func(tx *manifest.Tx) error {
		parts, err := tx.Parts()
		if err != nil {
			return err
		}
		live := map[string]manifest.Part{}
		for _, p := range parts {
			live[p.ID] = p
			var at [manifest.NumTables]int64
			for _, k := range p.Keys {
				e, ok, err := tx.Input(k)
				if err != nil {
					return err
				}
				if !ok || e.Part != p.ID {
					t.Errorf("part %s lists %s, whose entry is %+v", p.ID, k, e)
					continue
				}
				for i := range Tables {
					if e.Rows[i].Start != at[i] {
						t.Errorf("%s: %s rows start at %d, want %d", k, Tables[i], e.Rows[i].Start, at[i])
					}
					at[i] = e.Rows[i].End
				}
			}
			for i, table := range Tables {
				if at[i] != p.Rows[i] {
					t.Errorf("part %s: its inputs' %s rows end at %d, the part has %d", p.ID, table, at[i], p.Rows[i])
				}
				if n := openParquet(t, partPath(dir, table, p.ID)).NumRows(); n != p.Rows[i] {
					t.Errorf("part %s: %s file holds %d rows, the manifest says %d", p.ID, table, n, p.Rows[i])
				}
			}
		}
		return tx.Inputs(func(e manifest.Entry) error {
			if _, ok := live[e.Part]; !ok {
				t.Errorf("%s: rows in part %s, which is not live", e.Key, e.Part)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// knownKeys lists the inputs the manifest knows.
func knownKeys(t *testing.T, dir string) []string {
	t.Helper()
	ds, err := Open(dir, testMeta("look"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	var keys []string
	if err := ds.Inputs(func(e manifest.Entry) error { keys = append(keys, e.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	return keys
}

// Remove takes an input's rows out of the dataset and the manifest at the final commit; an
// input the run writes, or one the manifest does not know, is left alone.
func TestDatasetRemove(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, "run1", Options{PartDocs: 2}, docs(docWith(t, "a.txt", "a1"), failedAt("b.txt", "b1"), docWith(t, "c.txt", "c1")))

	ds, err := Open(dir, testMeta("run2"), Options{PartDocs: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	if err := ds.Write(docWith(t, "d.txt", "d1"), Input{}); err != nil {
		t.Fatal(err)
	}
	ds.Remove("a.txt", "c.txt", "d.txt", "never.txt")
	info, err := ds.Commit(recordJSON)
	if err != nil {
		t.Fatal(err)
	}
	// a.txt goes from the first part (rewritten with b.txt alone), c.txt's part is dropped.
	if info.Removed != 2 || info.PartsRewritten != 1 || info.PartsRemoved != 1 || info.DatasetRows[TableDocuments] != 2 {
		t.Errorf("commit info = %+v", info)
	}
	if got, want := sources(t, dir), []string{"b.txt=b1", "d.txt=d1"}; !slices.Equal(got, want) {
		t.Errorf("documents = %v, want %v", got, want)
	}
	for _, f := range readAll[FactRow](t, dir, TableFacts) {
		if f.DocID != "d1" {
			t.Errorf("a fact of a removed input is left: %+v", f)
		}
	}
	if got, want := knownKeys(t, dir), []string{"b.txt", "d.txt"}; !slices.Equal(got, want) {
		t.Errorf("manifest inputs = %v, want %v", got, want)
	}
	checkManifest(t, dir)

	// Given again, a removed input comes back once.
	writeRun(t, dir, "run3", Options{}, docs(docWith(t, "a.txt", "a3")))
	if got, want := sources(t, dir), []string{"a.txt=a3", "b.txt=b1", "d.txt=d1"}; !slices.Equal(got, want) {
		t.Errorf("documents = %v, want %v", got, want)
	}
	checkManifest(t, dir)
}

// Many small runs leave many small parts; past CompactParts, the final commit merges them
// into parts of MergeDocs documents, moving no row and losing none, and later replacements
// find their inputs in the merged parts.
func TestDatasetCompactParts(t *testing.T) {
	dir := t.TempDir()
	opt := Options{PartDocs: 4, MergeDocs: 4, CompactParts: 8}
	var want []string
	for i := range 9 {
		src, id := fmt.Sprintf("p%d.txt", i), fmt.Sprintf("id%d", i)
		info := writeRun(t, dir, fmt.Sprintf("run%d", i), opt, docs(docWith(t, src, id)))
		want = append(want, src+"="+id)
		if i < 8 && (info.PartsCompacted != 0 || info.Parts != i+1) {
			t.Fatalf("run %d compacted at %d small parts: %+v", i, i+1, info)
		}
		if i == 8 {
			// 9 small parts > 8: merged in part order into 4 + 4 + 1 (the last, alone, kept).
			if info.PartsCompacted != 8 || info.PartsMerged != 2 || info.Parts != 3 {
				t.Errorf("compaction: %+v", info)
			}
		}
	}
	slices.Sort(want)
	if got := sources(t, dir); !slices.Equal(got, want) {
		t.Errorf("documents after compaction = %v, want %v", got, want)
	}
	perDoc := len(sampleDoc(t).Facts)
	if n := len(readAll[FactRow](t, dir, TableFacts)); n != 9*perDoc {
		t.Errorf("facts = %d rows, want %d", n, 9*perDoc)
	}
	parts := tableParts(t, dir, TableFacts)
	if len(parts) != 3 {
		t.Fatalf("facts files = %v", parts)
	}
	// run8 wrote its own part (00000), then the two merged ones.
	from, _ := openParquet(t, filepath.Join(dir, TableFacts, parts[1])).Lookup(MetaCompacted)
	if parts[1] != "part-run8-00001.parquet" || from != "run0-00000,run1-00000,run2-00000,run3-00000" {
		t.Errorf("%s: %s = %q", parts[1], MetaCompacted, from)
	}
	checkManifest(t, dir)

	// A run that replaces an input of a merged part rewrites that part; nothing twice.
	info := writeRun(t, dir, "run9", opt, docs(failedAt("p5.txt", "new5")))
	if info.Replaced != 1 || info.PartsRewritten != 1 || info.PartsCompacted != 0 {
		t.Errorf("replacing an input of a merged part: %+v", info)
	}
	got := sources(t, dir)
	if len(got) != 9 || !slices.Contains(got, "p5.txt=new5") || slices.Contains(got, "p5.txt=id5") {
		t.Errorf("documents = %v", got)
	}
	checkManifest(t, dir)

	// Compact merges the small parts now, whatever their number.
	ds, err := Open(dir, testMeta("compact"), Options{MergeDocs: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Abort()
	ds.Compact()
	info, err = ds.Commit(recordJSON)
	if err != nil {
		t.Fatal(err)
	}
	if info.Written != 0 || info.PartsCompacted < 2 || info.Parts >= 4 {
		t.Errorf("Compact: %+v", info)
	}
	if got2 := sources(t, dir); !slices.Equal(got2, got) {
		t.Errorf("documents after Compact = %v, want %v", got2, got)
	}
	checkManifest(t, dir)
	for _, p := range tableParts(t, dir, TableDocuments) {
		if !strings.HasPrefix(p, "part-") {
			t.Errorf("unexpected file %s", p)
		}
	}
}

// A run that dies at any point of a commit that removes inputs and compacts parts leaves a
// dataset readers see whole, and the next run finishes or forgets that commit.
func TestDatasetCompactCrash(t *testing.T) {
	var old []string
	for i := range 6 {
		old = append(old, fmt.Sprintf("p%d.txt=id%d", i, i))
	}
	updated := append([]string{"new.txt=n1"}, old[1:]...) // p0 removed, new added
	slices.Sort(updated)
	for _, point := range []string{"staged", "committed", "snapshot-half", "snapshot", "switched", "recorded"} {
		t.Run(point, func(t *testing.T) {
			dir := t.TempDir()
			for i := range 6 {
				writeRun(t, dir, fmt.Sprintf("run%d", i), Options{}, docs(docWith(t, fmt.Sprintf("p%d.txt", i), fmt.Sprintf("id%d", i))))
			}
			ds, err := Open(dir, testMeta("run6"), Options{MergeDocs: 3})
			if err != nil {
				t.Fatal(err)
			}
			if err := ds.Write(docWith(t, "new.txt", "n1"), Input{}); err != nil {
				t.Fatal(err)
			}
			ds.Remove("p0.txt")
			ds.Compact()
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
			ds.Close()

			if got := sources(t, dir); !slices.Equal(got, old) && !slices.Equal(got, updated) {
				t.Errorf("a reader after a crash at %s sees %v", point, got)
			}
			writeRun(t, dir, "run7", Options{MergeDocs: 3}, nil)
			want := updated
			if point == "staged" {
				want = old
			}
			if got := sources(t, dir); !slices.Equal(got, want) {
				t.Errorf("after recovery from a crash at %s: %v, want %v", point, got, want)
			}
			if point != "staged" && len(tableParts(t, dir, TableFacts)) > 3 {
				t.Errorf("not compacted: %v", tableParts(t, dir, TableFacts))
			}
			checkManifest(t, dir)
		})
	}
}
