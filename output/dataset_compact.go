package output

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/newsfacts/newsfacts/output/manifest"
)

// Rewriting parts
//
// A commit rewrites earlier parts in two cases, always into new parts in the run's staging
// folder, inside the manifest transaction that decides the commit (see the protocol in
// dataset_commit.go), so a crash before that transaction leaves the dataset as it was:
//
//   - a part some of whose inputs are superseded (processed again) or removed (--prune) is
//     copied without their rows (rewritePart);
//   - small parts are merged into parts of about MergeDocs documents (compactParts), so that many
//     small incremental runs do not leave thousands of tiny files for readers to open.
//
// The rows are copied as they are; only the part they live in and their row spans change, in
// the manifest. A reader globbing DIR/<table>/*.parquet sees the old files or the new ones,
// whole, never both: the snapshot switch is one rename.

// rowSource is rows to copy from one table file of a part: the spans keep, sorted and
// disjoint.
type rowSource struct {
	path string
	keep []manifest.Span
}

// rewritePart writes, into staging, a new part holding the rows of the entries kept (in the
// order of the old part) and returns it with the entries moved to it.
func (ds *Dataset) rewritePart(snapshot string, old manifest.Part, keep []manifest.Entry) (manifest.Part, []manifest.Entry, error) {
	id := partID(ds.meta.RunID, ds.seq)
	ds.seq++
	np := manifest.Part{ID: id, Run: ds.meta.RunID}
	moved := make([]manifest.Entry, len(keep))
	copy(moved, keep)
	for i, t := range Tables {
		src, err := ds.partSource(t, old.ID, snapshot)
		if err != nil {
			return np, nil, err
		}
		spans := make([]manifest.Span, len(keep))
		for j, e := range keep {
			spans[j] = e.Rows[i]
		}
		n, err := copyTable(t, []rowSource{{path: src, keep: spans}}, ds.stagedPart(t, id), ds.meta, MetaRewritten, old.ID)
		if err != nil {
			return np, nil, err
		}
		np.Rows[i] = n
		var at int64
		for j := range moved {
			l := spans[j].Len()
			moved[j].Rows[i] = manifest.Span{Start: at, End: at + l}
			at += l
		}
	}
	for j := range moved {
		moved[j].Part = id
		np.Keys = append(np.Keys, moved[j].Key)
	}
	return np, moved, nil
}

// compactParts merges the live parts that hold fewer than MergeDocs documents, in part order,
// into groups of at least MergeDocs documents (the last group may hold fewer), when there are
// more of them than CompactParts or Compact was called. It returns the number of parts merged
// away and the number of parts made. A group of one part is left as it is, so a dataset
// compacted once holds at most one small part more than the runs since have added.
func (ds *Dataset) compactParts(tx *manifest.Tx, snapshot string) (merged, made int, err error) {
	parts, err := tx.Parts()
	if err != nil {
		return 0, 0, err
	}
	var small []manifest.Part
	for _, p := range parts {
		if len(p.Keys) < ds.opt.MergeDocs {
			small = append(small, p)
		}
	}
	if !ds.compact && (ds.opt.CompactParts <= 0 || len(small) <= ds.opt.CompactParts) {
		return 0, 0, nil
	}
	var groups [][]manifest.Part
	var group []manifest.Part
	docs := 0
	for _, p := range small {
		group = append(group, p)
		docs += len(p.Keys)
		if docs >= ds.opt.MergeDocs {
			groups = append(groups, group)
			group, docs = nil, 0
		}
	}
	groups = append(groups, group)
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		if err := ds.mergeParts(tx, snapshot, g); err != nil {
			return merged, made, err
		}
		merged += len(g)
		made++
	}
	if made > 0 {
		ds.opt.Log("compacted parts", "merged", merged, "into", made, "small parts before", len(small))
	}
	return merged, made, nil
}

// mergeParts writes, into staging, one part holding every row of the parts of group, in that
// order, and moves their inputs to it in the manifest.
func (ds *Dataset) mergeParts(tx *manifest.Tx, snapshot string, group []manifest.Part) error {
	id := partID(ds.meta.RunID, ds.seq)
	ds.seq++
	np := manifest.Part{ID: id, Run: ds.meta.RunID}
	var from []string
	var moved []manifest.Entry
	var offset [manifest.NumTables]int64
	for _, p := range group {
		from = append(from, p.ID)
		for _, k := range p.Keys {
			e, ok, err := tx.Input(k)
			if err != nil {
				return err
			}
			if !ok || e.Part != p.ID {
				return fmt.Errorf("output: manifest: part %s lists input %s, whose rows are elsewhere", p.ID, k)
			}
			for i := range Tables {
				e.Rows[i] = manifest.Span{Start: e.Rows[i].Start + offset[i], End: e.Rows[i].End + offset[i]}
			}
			e.Part = id
			moved = append(moved, e)
			np.Keys = append(np.Keys, k)
		}
		for i := range Tables {
			offset[i] += p.Rows[i]
		}
	}
	for i, t := range Tables {
		srcs := make([]rowSource, len(group))
		for j, p := range group {
			path, err := ds.partSource(t, p.ID, snapshot)
			if err != nil {
				return err
			}
			srcs[j] = rowSource{path: path, keep: []manifest.Span{{Start: 0, End: p.Rows[i]}}}
		}
		n, err := copyTable(t, srcs, ds.stagedPart(t, id), ds.meta, MetaCompacted, strings.Join(from, ","))
		if err != nil {
			return err
		}
		np.Rows[i] = n
	}
	for _, p := range group {
		if err := tx.DeletePart(p.ID); err != nil {
			return err
		}
	}
	if err := tx.PutPart(np); err != nil {
		return err
	}
	for _, e := range moved {
		if err := tx.PutInput(e); err != nil {
			return err
		}
	}
	return nil
}

// stagedPart is the path of a part's file of one table in the run's staging folder.
func (ds *Dataset) stagedPart(table, id string) string {
	return filepath.Join(ds.staging, table, partFile(id))
}

// partSource finds the file of a live part: in staging when this commit wrote it (a new part,
// a part rewritten a moment ago), else in the snapshot in force.
func (ds *Dataset) partSource(table, id, snapshot string) (string, error) {
	if p := ds.stagedPart(table, id); fileExists(p) {
		return p, nil
	}
	return ds.findPart(table, partFile(id), snapshot)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func copyTable(table string, srcs []rowSource, dst string, meta Meta, noteKey, note string) (int64, error) {
	switch table {
	case TableDocuments:
		return copyRows[DocumentRow](table, srcs, dst, meta, noteKey, note)
	case TableArticles:
		return copyRows[ArticleRow](table, srcs, dst, meta, noteKey, note)
	case TableFacts:
		return copyRows[FactRow](table, srcs, dst, meta, noteKey, note)
	case TableEntities:
		return copyRows[EntityRow](table, srcs, dst, meta, noteKey, note)
	}
	return 0, fmt.Errorf("output: no table %q", table)
}

// copyRows copies the rows of srcs, in order, to a new file dst. dst keeps the versions in
// the sources' metadata, since the rows are the ones earlier runs wrote ("mixed" when the
// sources differ; every row carries its own rules_version and tool_version), and notes where
// its rows came from under noteKey.
func copyRows[T any](table string, srcs []rowSource, dst string, meta Meta, noteKey, note string) (int64, error) {
	files := make([]*parquet.File, len(srcs))
	for i, s := range srcs {
		f, err := os.Open(s.path)
		if err != nil {
			return 0, fmt.Errorf("output: copying %s rows: %w", table, err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return 0, fmt.Errorf("output: copying %s rows: %w", table, err)
		}
		if err := guard(table, s.path, "", func() error {
			var err error
			files[i], err = parquet.OpenFile(f, st.Size())
			return err
		}); err != nil {
			return 0, err
		}
	}
	kv := []parquet.WriterOption{parquet.KeyValueMetadata(MetaRunID, meta.RunID), parquet.KeyValueMetadata(noteKey, note)}
	for _, k := range []string{MetaToolVersion, MetaRulesVersion, MetaConfigHash} {
		v, ok := files[0].Lookup(k)
		for _, f := range files[1:] {
			if w, _ := f.Lookup(k); w != v {
				v = "mixed"
			}
		}
		if ok {
			kv = append(kv, parquet.KeyValueMetadata(k, v))
		}
	}
	out, err := openTable[T](filepath.Dir(filepath.Dir(dst)), table, filepath.Base(dst), meta.ToolVersion, kv)
	if err != nil {
		return 0, err
	}
	var want int64
	for i, s := range srcs {
		err = guard(table, s.path, "", func() error { return appendRows(out, files[i], s.keep) })
		if err != nil {
			break
		}
		for _, sp := range s.keep {
			want += sp.Len()
		}
	}
	if err == nil && out.rows != want {
		err = fmt.Errorf("output: %s table %s: copied %d rows, the manifest says %d: the dataset is damaged", table, dst, out.rows, want)
	}
	if err == nil {
		err = out.finish()
	}
	if err != nil {
		out.closeFile()
		return 0, err
	}
	return out.rows, nil
}

// appendRows writes the rows of src in the spans keep (sorted, disjoint) to out.
func appendRows[T any](out *table[T], src *parquet.File, keep []manifest.Span) error {
	r := parquet.NewGenericReader[T](src)
	defer r.Close()
	buf := make([]T, 512)
	var row int64 // index of buf[0] in src
	k := 0
	for k < len(keep) {
		n, rerr := r.Read(buf)
		// Write buf's rows that fall in keep, a run of rows at a time.
		for i := 0; i < n && k < len(keep); {
			at := row + int64(i)
			switch {
			case at >= keep[k].End:
				k++
			case at < keep[k].Start:
				i = int(min(keep[k].Start-row, int64(n)))
			default:
				j := int(min(keep[k].End-row, int64(n)))
				if err := out.write("", buf[i:j]); err != nil {
					return err
				}
				i = j
			}
		}
		row += int64(n)
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return rerr
		}
	}
	return nil
}
