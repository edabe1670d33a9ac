package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/newsfacts/newsfacts/output/manifest"
)

// The commit protocol
//
// A run writes its new parts in DIR/_staging-<run>/, complete and synced, while other readers
// and writers go on. Commit then, holding the manifest (which is the commit lock):
//
//  1. recovers a commit that a dead run left half done (step 4 below, replayed);
//  2. for each input the run wrote, looks up the part holding its earlier rows; a part whose
//     every input is superseded is dropped, any other is rewritten into staging without the
//     superseded rows (a new part, same row order), and the entries of the inputs that stay
//     are moved to it. At the run's final commit, inputs it was asked to Remove go the same
//     way and leave the manifest, and small parts are merged when there are too many
//     (dataset_compact.go);
//  3. in one bbolt transaction, the commit point: records the new entries and parts, the
//     snapshot that will be in force, the run record and a Pending record of what is left to
//     do. Before it, nothing a reader sees has changed and a crash loses only the run's work;
//     after it, the commit will happen, whoever finishes it;
//  4. finishes the Pending record, every step idempotent: builds DIR/_snapshots/<run>/ from
//     the live parts (new ones renamed from staging, kept ones hard-linked from the snapshot
//     in force), points DIR/_current at it with one rename (readers switch from the old set of
//     files to the new one at once), writes _runs/<run>.json and _SUCCESS, clears Pending,
//     removes staging (not at a checkpoint: the run goes on writing there) and the snapshots
//     older than the previous one.
//
// A checkpoint is the same commit in the middle of a run, of the documents written since the
// last one; the run keeps its lock and its staging folder.
//
// A reader that globs DIR/facts/**/*.parquet lists one snapshot's folder, never a mix of two.

// CrashHook, when set, is called at named points of a commit; the crash tests set it to kill
// the process there. Points: "staged" (parts written, manifest untouched), "committed"
// (manifest transaction done), "snapshot-half" (half the snapshot's files in place),
// "snapshot" (snapshot built, _current not switched), "switched" (_current switched, no
// _SUCCESS yet), "recorded" (_SUCCESS written, Pending not cleared).
var CrashHook func(point string)

func crash(point string) {
	if CrashHook != nil {
		CrashHook(point)
	}
}

// CommitInfo tells what a commit did.
type CommitInfo struct {
	RunID          string           `json:"run_id"`
	Final          bool             `json:"final"`           // the run's last commit; false for a checkpoint
	Snapshot       string           `json:"snapshot"`        // the snapshot in force after the commit
	Time           time.Time        `json:"time"`            // when the commit was decided
	Written        int              `json:"written"`         // documents this run wrote (committed so far)
	Replaced       int              `json:"replaced"`        // of them, inputs whose earlier rows were replaced
	PartsWritten   int              `json:"parts_written"`   // new parts of this run's documents
	PartsRewritten int              `json:"parts_rewritten"` // earlier parts rewritten without superseded documents
	PartsRemoved   int              `json:"parts_removed"`   // earlier parts dropped, all their documents superseded
	Removed        int              `json:"removed"`         // inputs whose rows were removed (Remove: deleted from the archive)
	PartsCompacted int              `json:"parts_compacted"` // small parts merged into bigger ones
	PartsMerged    int              `json:"parts_merged"`    // the parts they were merged into
	Parts          int              `json:"parts"`           // live parts after the commit
	Rows           map[string]int64 `json:"rows"`            // rows this run wrote, per table
	DatasetRows    map[string]int64 `json:"dataset_rows"`    // rows in the dataset after the commit, per table
}

// Success is the content of the _SUCCESS file: the last committed run and what the dataset
// holds since. A reader that wants to be sure it read one consistent snapshot compares the
// rows it read with Counts.
type Success struct {
	RunID        string           `json:"run_id"`
	Time         string           `json:"time"` // RFC 3339, UTC, when the commit was decided
	ToolVersion  string           `json:"tool_version"`
	RulesVersion string           `json:"rules_version"`
	ConfigHash   string           `json:"config_hash"`
	Snapshot     string           `json:"snapshot"` // DIR/_current points to _snapshots/<snapshot>
	Counts       map[string]int64 `json:"counts"`   // rows per table in the dataset
	Parts        []string         `json:"parts"`    // every table holds DIR/<table>/part-<id>.parquet for each
	Record       string           `json:"record"`   // the run record, relative to the dataset folder
}

// Commit makes the run's documents part of the dataset, replacing the rows earlier runs wrote
// for the same inputs, and releases the lock. record is called inside the commit with what
// it did and returns the run record to keep (in the manifest, in _runs/<run>.json), so that a
// commit finished after a crash still leaves it. A run that wrote nothing still commits: its
// record and _SUCCESS are written, the tables are left as they were, byte for byte.
func (ds *Dataset) Commit(record func(CommitInfo) ([]byte, error)) (CommitInfo, error) {
	return ds.commit(record, true)
}

// Checkpoint commits what the run has written so far, as Commit does, and keeps the run
// going: a run that dies after it loses only the documents written since. Each checkpoint is
// a commit of its own: readers see the dataset grow by whole checkpoints.
func (ds *Dataset) Checkpoint(record func(CommitInfo) ([]byte, error)) (CommitInfo, error) {
	return ds.commit(record, false)
}

// Uncommitted is the number of documents written since the last commit.
func (ds *Dataset) Uncommitted() int { return len(ds.entries) }

// Commits is the number of commits the run has made (checkpoints included).
func (ds *Dataset) Commits() int { return ds.commits }

func (ds *Dataset) commit(record func(CommitInfo) ([]byte, error), final bool) (CommitInfo, error) {
	var info CommitInfo
	if ds.done {
		return info, fmt.Errorf("output: commit %s: dataset already committed or aborted", ds.dir)
	}
	if ds.err != nil {
		return info, fmt.Errorf("output: commit %s: an earlier write failed: %w", ds.dir, ds.err)
	}
	if ds.part != nil {
		if err := ds.finishPart(); err != nil {
			return info, err
		}
	}
	decided := false
	err := ds.withManifest(func(m *manifest.Store) error {
		if err := ds.recover(m); err != nil {
			return err
		}
		crash("staged")
		var p *manifest.Pending
		err := m.Update(func(tx *manifest.Tx) error {
			var err error
			p, info, err = ds.plan(tx, record, final)
			return err
		})
		if err != nil {
			return err
		}
		decided = true
		crash("committed")
		return ds.finish(m, p)
	})
	if err != nil {
		if decided {
			// The staging folder holds files the manifest names: it is the next run's to
			// finish with, not Abort's to remove.
			ds.done = true
			err = fmt.Errorf("%w (the commit is recorded and will be finished by the next run on %s)", err, ds.dir)
		}
		ds.err = err
		return info, err
	}
	ds.total = info
	ds.commits++
	ds.entries, ds.parts = nil, nil
	if final {
		ds.Close()
	}
	return info, nil
}

// plan decides the commit inside the manifest transaction; see the protocol above.
func (ds *Dataset) plan(tx *manifest.Tx, record func(CommitInfo) ([]byte, error), final bool) (*manifest.Pending, CommitInfo, error) {
	// The counts add up over the run's commits.
	info := CommitInfo{RunID: ds.meta.RunID, Final: final, Time: ds.now().UTC(),
		Written: ds.total.Written + len(ds.entries), Replaced: ds.total.Replaced,
		PartsWritten: ds.total.PartsWritten + len(ds.parts), PartsRewritten: ds.total.PartsRewritten, PartsRemoved: ds.total.PartsRemoved,
		PartsCompacted: ds.total.PartsCompacted, PartsMerged: ds.total.PartsMerged}
	if err := ds.syncStaging(); err != nil {
		return nil, info, err
	}
	prev := tx.Snapshot()
	superseded := map[string][]manifest.Entry{}
	for _, e := range ds.entries {
		old, ok, err := tx.Input(e.Key)
		if err != nil {
			return nil, info, err
		}
		if ok && old.Part != "" {
			superseded[old.Part] = append(superseded[old.Part], old)
			info.Replaced++
		}
	}
	if final {
		// Inputs removed from the dataset: their rows go as superseded ones do, and the
		// manifest forgets them.
		removed := make([]string, 0, len(ds.removed))
		for k := range ds.removed {
			if !ds.keys[k] {
				removed = append(removed, k)
			}
		}
		sort.Strings(removed)
		for _, k := range removed {
			old, ok, err := tx.Input(k)
			if err != nil {
				return nil, info, err
			}
			if !ok {
				continue
			}
			if old.Part != "" {
				superseded[old.Part] = append(superseded[old.Part], old)
			}
			if err := tx.DeleteInput(k); err != nil {
				return nil, info, err
			}
			info.Removed++
		}
	}
	changed := 0 // parts of earlier commits that this one rewrites or drops
	ids := make([]string, 0, len(superseded))
	for id := range superseded {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		part, ok, err := tx.Part(id)
		if err != nil {
			return nil, info, err
		}
		if !ok {
			return nil, info, fmt.Errorf("output: manifest: input %s has rows in part %s, which is not live", superseded[id][0].Key, id)
		}
		gone := map[string]bool{}
		for _, e := range superseded[id] {
			gone[e.Key] = true
		}
		var keep []manifest.Entry
		for _, k := range part.Keys {
			if gone[k] {
				continue
			}
			e, ok, err := tx.Input(k)
			if err != nil {
				return nil, info, err
			}
			if !ok || e.Part != id {
				return nil, info, fmt.Errorf("output: manifest: part %s lists input %s, whose rows are elsewhere", id, k)
			}
			keep = append(keep, e)
		}
		if err := tx.DeletePart(id); err != nil {
			return nil, info, err
		}
		changed++
		if len(keep) == 0 {
			info.PartsRemoved++
			continue
		}
		np, moved, err := ds.rewritePart(prev, part, keep)
		if err != nil {
			return nil, info, err
		}
		if err := tx.PutPart(np); err != nil {
			return nil, info, err
		}
		for _, e := range moved {
			if err := tx.PutInput(e); err != nil {
				return nil, info, err
			}
		}
		info.PartsRewritten++
	}
	for _, p := range ds.parts {
		if err := tx.PutPart(p); err != nil {
			return nil, info, err
		}
	}
	for _, e := range ds.entries {
		if err := tx.PutInput(e); err != nil {
			return nil, info, err
		}
	}
	if final {
		merged, made, err := ds.compactParts(tx, prev)
		if err != nil {
			return nil, info, err
		}
		info.PartsCompacted += merged
		info.PartsMerged += made
		changed += merged
	}
	if err := ds.syncStaging(); err != nil { // the rewritten and merged parts
		return nil, info, err
	}

	snapshot := prev
	if prev == "" || len(ds.parts) > 0 || changed > 0 {
		snapshot = ds.meta.RunID // the run's first snapshot; its checkpoints' after it are <run>.<n>
		if ds.commits > 0 {
			snapshot = fmt.Sprintf("%s.%d", ds.meta.RunID, ds.commits)
		}
	}
	parts, err := tx.Parts()
	if err != nil {
		return nil, info, err
	}
	info.Snapshot = snapshot
	info.Parts = len(parts)
	info.Rows = ds.Counts()
	info.DatasetRows = map[string]int64{}
	ids = ids[:0]
	for _, p := range parts {
		for i, t := range Tables {
			info.DatasetRows[t] += p.Rows[i]
		}
		ids = append(ids, p.ID)
	}
	for _, t := range Tables {
		info.DatasetRows[t] += 0 // every table named, even when empty
	}
	rec, err := record(info)
	if err != nil {
		return nil, info, err
	}
	success, err := json.MarshalIndent(Success{
		RunID:        ds.meta.RunID,
		Time:         info.Time.Format(time.RFC3339),
		ToolVersion:  ds.meta.ToolVersion,
		RulesVersion: ds.meta.RulesVersion,
		ConfigHash:   ds.meta.ConfigHash,
		Snapshot:     snapshot,
		Counts:       info.DatasetRows,
		Parts:        append([]string{}, ids...),
		Record:       RunsDir + "/" + ds.meta.RunID + ".json",
	}, "", "  ")
	if err != nil {
		return nil, info, err
	}
	p := &manifest.Pending{
		Run: ds.meta.RunID, Previous: prev, Staging: filepath.Base(ds.staging), KeepStaging: !final,
		Success: append(success, '\n'), Record: rec,
	}
	if snapshot != prev {
		p.Snapshot = snapshot
	}
	if err := tx.SetPending(p); err != nil {
		return nil, info, err
	}
	if err := tx.PutRun(ds.meta.RunID, rec); err != nil {
		return nil, info, err
	}
	return p, info, tx.SetSnapshot(snapshot)
}

// syncStaging makes the files written into staging durable before the manifest names them.
func (ds *Dataset) syncStaging() error {
	if err := syncDirs(tableDirs(ds.staging)...); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// tableDirs returns the folder of each table under root.
func tableDirs(root string) []string {
	dirs := make([]string, len(Tables))
	for i, t := range Tables {
		dirs[i] = filepath.Join(root, t)
	}
	return dirs
}

// finish does what a Pending record says is left to do. Every step can be done again.
func (ds *Dataset) finish(m *manifest.Store, p *manifest.Pending) error {
	if p.Snapshot != "" {
		var parts []manifest.Part
		if err := m.View(func(tx *manifest.Tx) error {
			var err error
			parts, err = tx.Parts()
			return err
		}); err != nil {
			return err
		}
		if err := ds.buildSnapshot(p, parts); err != nil {
			return err
		}
		crash("snapshot")
		if err := ds.switchCurrent(p.Snapshot); err != nil {
			return err
		}
		crash("switched")
	}
	if err := ds.tableLinks(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(ds.dir, RunsDir), 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(ds.dir, RunsDir, p.Run+".json"), p.Record); err != nil {
		return fmt.Errorf("output: run record: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(ds.dir, SuccessFile), p.Success); err != nil {
		return fmt.Errorf("output: %s: %w", SuccessFile, err)
	}
	crash("recorded")
	var current string
	if err := m.Update(func(tx *manifest.Tx) error {
		current = tx.Snapshot()
		return tx.SetPending(nil)
	}); err != nil {
		return err
	}
	if !p.KeepStaging {
		if err := os.RemoveAll(filepath.Join(ds.dir, p.Staging)); err != nil {
			ds.opt.Log("could not remove a staging folder", "folder", p.Staging, "error", err)
		}
	}
	ds.collect(current, p.Previous)
	return nil
}

// buildSnapshot fills _snapshots/<p.Snapshot>/ with every live part: a part this run staged is
// moved in, any other is hard-linked from the snapshot it is in.
func (ds *Dataset) buildSnapshot(p *manifest.Pending, parts []manifest.Part) error {
	snap := filepath.Join(ds.dir, SnapshotsDir, p.Snapshot)
	for _, t := range Tables {
		if err := os.MkdirAll(filepath.Join(snap, t), 0o755); err != nil {
			return fmt.Errorf("output: snapshot: %w", err)
		}
	}
	total, done := len(parts)*len(Tables), 0
	for _, part := range parts {
		name := partFile(part.ID)
		for _, t := range Tables {
			done++
			if done == total/2+1 {
				crash("snapshot-half")
			}
			dst := filepath.Join(snap, t, name)
			if _, err := os.Lstat(dst); err == nil {
				continue
			}
			staged := filepath.Join(ds.dir, p.Staging, t, name)
			if err := os.Rename(staged, dst); err == nil {
				continue
			} else if !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("output: snapshot: %w", err)
			}
			src, err := ds.findPart(t, name, p.Previous)
			if err != nil {
				return err
			}
			if err := linkOrCopy(src, dst); err != nil {
				return fmt.Errorf("output: snapshot: %w", err)
			}
		}
	}
	if err := syncDirs(tableDirs(snap)...); err != nil {
		return fmt.Errorf("output: snapshot: %w", err)
	}
	if err := syncDir(snap); err != nil {
		return fmt.Errorf("output: snapshot: %w", err)
	}
	return syncDir(filepath.Join(ds.dir, SnapshotsDir))
}

// findPart finds a part's file of one table in the snapshot named first, else in any other.
func (ds *Dataset) findPart(table, name, first string) (string, error) {
	root := filepath.Join(ds.dir, SnapshotsDir)
	if first != "" {
		p := filepath.Join(root, first, table, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	entries, _ := os.ReadDir(root)
	for i := len(entries) - 1; i >= 0; i-- {
		p := filepath.Join(root, entries[i].Name(), table, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("output: %s: the manifest lists %s/%s, which is in no snapshot nor in staging: the dataset is damaged", ds.dir, table, name)
}

// linkOrCopy hard-links src to dst, copying where the file system has no hard links.
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// switchCurrent points _current at a snapshot with one rename.
func (ds *Dataset) switchCurrent(snapshot string) error {
	return replaceSymlink(filepath.Join(ds.dir, CurrentLink), filepath.Join(SnapshotsDir, snapshot))
}

// tableLinks makes DIR/<table> a link to _current/<table>. The four links are in one folder,
// synced once after the last.
func (ds *Dataset) tableLinks() error {
	changed := false
	for _, t := range Tables {
		link := filepath.Join(ds.dir, t)
		target := filepath.Join(CurrentLink, t)
		if got, err := os.Readlink(link); err == nil && got == target {
			continue
		}
		if err := renameSymlink(link, target); err != nil {
			return err
		}
		changed = true
	}
	if changed {
		if err := syncDir(ds.dir); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	return nil
}

// replaceSymlink points link at target with one rename, and makes it durable.
func replaceSymlink(link, target string) error {
	if err := renameSymlink(link, target); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(link)); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// renameSymlink points link at target with one rename, not yet synced.
func renameSymlink(link, target string) error {
	tmp := link + ".tmp"
	os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// collect removes the snapshots other than the ones named. The previous snapshot is kept, so
// that a reader that resolved _current just before a commit can still open its files.
func (ds *Dataset) collect(keep ...string) {
	root := filepath.Join(ds.dir, SnapshotsDir)
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		kept := false
		for _, k := range keep {
			kept = kept || (k != "" && name == k)
		}
		if !kept {
			if err := os.RemoveAll(filepath.Join(root, name)); err != nil {
				ds.opt.Log("could not remove an old snapshot", "snapshot", name, "error", err)
			}
		}
	}
}

// recover finishes a commit left half done by a run that died, and removes the staging
// folders of dead runs. It runs holding the manifest.
func (ds *Dataset) recover(m *manifest.Store) error {
	var p *manifest.Pending
	if err := m.View(func(tx *manifest.Tx) error {
		var err error
		p, err = tx.Pending()
		return err
	}); err != nil {
		return err
	}
	if p != nil {
		ds.opt.Log("finishing the commit of a run that stopped half way through it", "run", p.Run)
		if err := ds.finish(m, p); err != nil {
			return fmt.Errorf("output: finishing the commit of run %s: %w", p.Run, err)
		}
	}
	stagings, _ := filepath.Glob(filepath.Join(ds.dir, stagingPrefix+"*"))
	for _, s := range stagings {
		if s == ds.staging {
			continue
		}
		// A staging folder is made and locked under the manifest, which we hold: one whose
		// lock we can take belongs to a run that is gone.
		f, err := lockFile(filepath.Join(s, stagingLock), false)
		if err != nil {
			if errors.Is(err, errLocked) {
				continue
			}
			if !errors.Is(err, os.ErrNotExist) {
				ds.opt.Log("could not check a staging folder", "folder", s, "error", err)
				continue
			}
		}
		if f != nil {
			f.Close()
		}
		ds.opt.Log("removing what a run that stopped left in staging", "folder", filepath.Base(s))
		if err := os.RemoveAll(s); err != nil {
			ds.opt.Log("could not remove a staging folder", "folder", s, "error", err)
		}
	}
	return nil
}

// LockedError says that another run holds the dataset.
type LockedError struct {
	Dir    string
	Shard  int    // the shard whose lock is held, or -1 for the whole dataset
	Holder string // "pid 1234 on host since …", as the holder wrote it; "" when unknown
}

func (e *LockedError) Error() string {
	what := e.Dir
	if e.Shard >= 0 {
		what = fmt.Sprintf("shard %d of %s", e.Shard, e.Dir)
	}
	holder := "another newsfacts run"
	if e.Holder != "" {
		holder += " (" + strings.TrimSpace(e.Holder) + ")"
	}
	return fmt.Sprintf("output: %s is being written by %s; one run writes a dataset at a time: "+
		"wait for it to finish, or choose another --out (a lock left by a run that died is taken over)", what, holder)
}
