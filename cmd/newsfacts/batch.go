package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsfacts/newsfacts/output"
	"github.com/newsfacts/newsfacts/output/manifest"
	"github.com/newsfacts/newsfacts/pipeline"
	"github.com/newsfacts/newsfacts/pipeline/segment"
	"github.com/newsfacts/newsfacts/pipeline/source"
	"github.com/newsfacts/newsfacts/rules"
)

// BatchConfig is the configuration of `newsfacts run` as an unattended batch job: budgets,
// the run record, sharding. It is squashed into Config, so its keys are top-level keys of
// newsfacts.yaml and NEWSFACTS_* variables like the others (NEWSFACTS_MAX_BYTES=…).
type BatchConfig struct {
	MaxBytes   string        `mapstructure:"max-bytes"`
	DocTimeout time.Duration `mapstructure:"doc-timeout"`
	Summary    string        `mapstructure:"summary"`
	ShardIndex int           `mapstructure:"shard-index"`
	ShardCount int           `mapstructure:"shard-count"`
	Force      bool          `mapstructure:"force"`
	Progress   bool          `mapstructure:"progress"`
	Checkpoint int           `mapstructure:"checkpoint-docs"`
	Prune      bool          `mapstructure:"prune"`
	Compact    int           `mapstructure:"compact-parts"`
	PartDocs   int           `mapstructure:"part-docs"` // newsfacts compact's part size
}

// Defaults of the budgets and of compaction.
const (
	defaultMaxBytes   = "64MiB"
	defaultDocTimeout = time.Minute
	// defaultCompactParts: a run compacts when more small parts than this are left. Each run
	// that writes leaves one small part or more; 50 keeps a table under a few hundred files
	// whatever the number of runs, and a compaction rewrites at most that many small parts.
	defaultCompactParts = 50
)

// maxErrorsInRecord bounds the inputs listed in a run record's errors (all are on stderr and
// in the documents table).
const maxErrorsInRecord = 1000

// racyWindow: a file modified this close to when it was read may have changed again within
// the resolution of its time stamp, so size and time no longer prove it unchanged (the same
// rule as git's "racily clean" index entries). Its bytes are read and hashed instead.
const racyWindow = 2 * time.Second

// batch is one `newsfacts run`: what it was asked, what it found, and its record.
type batch struct {
	e        *env
	c        Config
	en       *engine
	maxBytes int64
	runID    string
	rec      *runRecord
	bar      *progress

	recoveredKeys map[string]bool // arguments whose failed rows recovered removes (not pruned too)

	mu    sync.Mutex
	infos map[int]output.Input // the input behind each document in flight, by Seq; none for a placeholder
	fails int                  // inputs that failed, processed now or unchanged since
}

// parseBatch checks the batch flags: a mistake is a usage error.
func parseBatch(c Config) (maxBytes int64, err error) {
	maxBytes, err = parseSize(c.Batch.MaxBytes)
	if err != nil {
		return 0, usageError{fmt.Errorf("--max-bytes %q: %v", c.Batch.MaxBytes, err)}
	}
	if maxBytes > source.MaxFileBytes+1 { // 2GiB is taken as the most there is
		return 0, usageError{fmt.Errorf("--max-bytes %q: at most 2GiB, the most one input can hold (the tables' offsets are 32-bit)", c.Batch.MaxBytes)}
	}
	maxBytes = min(maxBytes, source.MaxFileBytes)
	if c.Batch.Checkpoint < 0 {
		return 0, usageError{fmt.Errorf("--checkpoint-docs %d: want 0 (commit at the end only) or more", c.Batch.Checkpoint)}
	}
	if c.Batch.Compact < 0 {
		return 0, usageError{fmt.Errorf("--compact-parts %d: want 0 (never compact on its own) or more", c.Batch.Compact)}
	}
	if c.Batch.DocTimeout < 0 {
		return 0, usageError{fmt.Errorf("--doc-timeout %v: want 0 (no budget) or more", c.Batch.DocTimeout)}
	}
	if c.Batch.ShardCount < 1 {
		return 0, usageError{fmt.Errorf("--shard-count %d: want at least 1", c.Batch.ShardCount)}
	}
	if c.Batch.ShardIndex < 0 || c.Batch.ShardIndex >= c.Batch.ShardCount {
		return 0, usageError{fmt.Errorf("--shard-index %d: want 0 to %d (--shard-count %d)", c.Batch.ShardIndex, c.Batch.ShardCount-1, c.Batch.ShardCount)}
	}
	return maxBytes, nil
}

// parseSize reads a size in bytes: 1000, 64MiB, 10MB, 512k (k, M, G: powers of 1024 with
// "i" or alone, of 1000 with "B").
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	lower := strings.ToLower(t)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
		{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
		{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1},
	} {
		if strings.HasSuffix(lower, u.suffix) {
			mult = u.mult
			t = strings.TrimSpace(t[:len(t)-len(u.suffix)])
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("want a size such as 64MiB, 10MB or 1000000")
	}
	return int64(n * float64(mult)), nil
}

// newRunID names a run: sortable by start time, and unique across machines that share a
// dataset (shards in containers often all have pid 1).
func newRunID(t time.Time, shard, shards int) string {
	var b [3]byte
	rand.Read(b[:])
	id := fmt.Sprintf("%s-%d-%s", t.UTC().Format("20060102T150405Z"), os.Getpid(), hex.EncodeToString(b[:]))
	if shards > 1 {
		id += fmt.Sprintf("-s%d", shard)
	}
	return id
}

// inputKey is how the manifest knows an input: its absolute, cleaned path, whatever way it
// was given ("-" for standard input).
func inputKey(path string) string {
	if path == "-" {
		return path
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// shardOf is the shard an input belongs to: a hash of its key, so the split is the same on
// every machine that sees the same paths, and does not depend on the order of the inputs.
func shardOf(key string, shards int) int {
	if shards <= 1 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return int(h.Sum64() % uint64(shards))
}

// deleted returns the inputs the manifest knows that have been deleted from the archive since:
// under a folder the run was given (or a pattern's folder), in the run's shard, not listed by
// the run, and no longer on disk; or one of the dataset's own files, which older versions
// read as pages when --out was inside a folder given (notOwn). A folder given that is not
// there (an archive not mounted) has nothing under it deleted: that is the reason rows are
// kept unless --prune asks.
func (b *batch) deleted(ds *output.Dataset, args []string, items []batchInput) ([]manifest.Entry, error) {
	var roots []string
	for _, a := range args {
		if a == "-" {
			continue
		}
		root := a
		if i := strings.IndexAny(a, "*?["); i >= 0 {
			root = filepath.Dir(a[:i] + "x") // the folder before the first pattern character
		}
		root = inputKey(root)
		if _, err := os.Stat(root); err != nil {
			b.e.log.Warn("--prune: a path given is not there: nothing under it is pruned", "path", a, "error", err)
			continue
		}
		roots = append(roots, root)
	}
	listed := make(map[string]bool, len(items))
	for _, it := range items {
		listed[it.key] = true
	}
	own := b.ownFiles()
	var gone []manifest.Entry
	err := ds.Inputs(func(e manifest.Entry) error {
		if listed[e.Key] || e.Key == "-" || b.recoveredKeys[e.Key] || shardOf(e.Key, b.c.Batch.ShardCount) != b.c.Batch.ShardIndex {
			return nil // recovered removes an argument's failed row, and counts it once
		}
		for _, r := range roots {
			if e.Key == r || strings.HasPrefix(e.Key, r+string(filepath.Separator)) {
				if _, err := os.Lstat(e.Key); errors.Is(err, os.ErrNotExist) || own(e.Key) {
					gone = append(gone, e)
				}
				break
			}
		}
		return nil
	})
	return gone, err
}

// prune finds the inputs deleted from the archive (see deleted) and has the run's final commit
// remove their rows; each is logged and listed in the run record.
func (b *batch) prune(ds *output.Dataset, args []string, items []batchInput) error {
	gone, err := b.deleted(ds, args, items)
	if err != nil {
		return err
	}
	keys := make([]string, len(gone))
	for i, e := range gone {
		keys[i] = e.Key
		b.e.log.Info("input deleted from the archive: its rows will be removed", "file", output.ValidText(e.Source), "doc_id", e.DocID, "run", e.Run)
		if len(b.rec.Pruned) < maxErrorsInRecord {
			b.rec.Pruned = append(b.rec.Pruned, output.ValidText(e.Source))
		} else {
			b.rec.PrunedOmitted++
		}
	}
	b.rec.Inputs.Deleted = len(gone)
	ds.Remove(keys...)
	return nil
}

// recovered has the run remove the failed rows of arguments that named nothing readable in an
// earlier run — a folder not mounted or not readable, a pattern that matched nothing — and
// that name inputs now: a folder that is there, or a pattern that matched; the rows of what
// they name replace them. A file given by name is never one: its row is replaced by its own
// (or kept, when it is gone and --prune is not given). Only this shard's rows are removed.
func (b *batch) recovered(ds *output.Dataset, args []string, items []batchInput, errs []error) error {
	failing := make(map[string]bool, len(errs)+len(items))
	for _, err := range errs {
		failing[inputKey(argOf(err))] = true
	}
	for _, it := range items {
		failing[it.key] = true // still failing: replaced in its turn
	}
	b.recoveredKeys = map[string]bool{}
	var keys []string
	for _, a := range args {
		k := inputKey(a)
		if a == "-" || failing[k] || b.recoveredKeys[k] || shardOf(k, b.c.Batch.ShardCount) != b.c.Batch.ShardIndex {
			continue
		}
		if st, err := os.Stat(a); (err != nil || !st.IsDir()) && !strings.ContainsAny(a, "*?[") {
			continue // neither a folder nor a pattern: a file, or gone (see deleted)
		}
		b.recoveredKeys[k] = true
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil
	}
	known, err := ds.Lookup(keys)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if e, ok := known[k]; ok {
			b.e.log.Info("a folder or pattern that named nothing readable names inputs now: its failed row will be removed", "path", output.ValidText(e.Source), "run", e.Run)
			b.rec.Inputs.Recovered++
			ds.Remove(k)
		} else {
			delete(b.recoveredKeys, k)
		}
	}
	return nil
}

// notOwn leaves out of the inputs the dataset's own files and the run record (--summary):
// with --out inside a folder given (`newsfacts run .`, whose --out is ./out), every run read
// the last one's manifest, parts and records as newspaper pages. The dataset's own are what
// it names under --out: the tables' folders and every name beginning with "_" (_manifest.db,
// _runs, _snapshots …); other files there, even with --out the folder given, are inputs.
func (b *batch) notOwn(inputs []source.Input) []source.Input {
	own := b.ownFiles()
	kept := inputs[:0]
	skipped := 0
	for _, in := range inputs {
		if own(in.Path) {
			skipped++
			continue
		}
		kept = append(kept, in)
	}
	if skipped > 0 {
		b.e.log.Info("the dataset's own files are not inputs: left out", "files", skipped, "out", b.c.Out)
	}
	return kept
}

// ownFiles returns whether a path is one of the dataset's own files or the run record (see
// notOwn).
func (b *batch) ownFiles() func(path string) bool {
	out := inputKey(b.c.Out)
	summary := ""
	if b.c.Batch.Summary != "" {
		summary = inputKey(b.c.Batch.Summary)
	}
	// --out and the inputs' folders may be reached through symbolic links: each is compared
	// as given and as the links lead (a folder's resolved once).
	outs := []string{out}
	if r, err := filepath.EvalSymlinks(out); err == nil && r != out {
		outs = append(outs, r)
	}
	resolved := map[string]string{}
	under := func(k string) bool {
		for _, o := range outs {
			rel, err := filepath.Rel(o, k)
			if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				continue // not under this --out
			}
			first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
			if strings.HasPrefix(first, "_") || slices.Contains(output.Tables, first) {
				return true
			}
		}
		return false
	}
	own := func(path string) bool {
		k := inputKey(path)
		if summary != "" && (k == summary || k == summary+".tmp") {
			return true
		}
		dir := filepath.Dir(k)
		r, ok := resolved[dir]
		if !ok {
			r = dir
			if e, err := filepath.EvalSymlinks(dir); err == nil {
				r = e
			}
			resolved[dir] = r
		}
		return under(k) || under(filepath.Join(r, filepath.Base(k)))
	}
	return own
}

// batchInput is one input of the run: a path found, or an argument that named nothing readable.
type batchInput struct {
	key, path string
	err       error
}

// items lists this shard's inputs, in the order Expand found them.
func (b *batch) items(inputs []source.Input, errs []error) []batchInput {
	var all []batchInput
	seen := map[string]bool{}
	for _, err := range errs {
		k := inputKey(argOf(err))
		if seen[k] {
			continue // a missing folder given twice (arch ./arch): one input, one row
		}
		seen[k] = true
		all = append(all, batchInput{key: k, path: argOf(err), err: err})
	}
	for _, in := range inputs {
		all = append(all, batchInput{key: inputKey(in.Path), path: in.Path})
	}
	b.rec.Inputs.Found = len(all)
	var mine []batchInput
	for _, it := range all {
		if shardOf(it.key, b.c.Batch.ShardCount) == b.c.Batch.ShardIndex {
			mine = append(mine, it)
		}
	}
	b.rec.Inputs.Shard = len(mine)
	return mine
}

// beforeRead, when set, is called with each path just before it is read: the fault tests use
// it to delete a file between listing and reading.
var beforeRead func(path string)

// beforeProcess, when set, is called with each document before its stages: the fault tests
// use it to hold one past its time budget.
var beforeProcess func(d *pipeline.Doc)

// hoistBytes is the size from which the largest input of a run is read and processed before
// the others (with two workers or more). Such a file takes as long as hundreds of pages, and
// started in its turn at the end of a run it would keep one worker busy while the others wait.
// Its rows are still written in its turn: the runner holds it until then.
const hoistBytes = 1 << 20

// statusUnchanged marks the placeholder of an input the manifest shows is done: it keeps the
// input's place in the numbering the sink writes in, and is not written.
const statusUnchanged = "unchanged"

// source emits a document for every input, numbered in input order (Seq), and leaves out of
// the work those the manifest shows are done — same bytes, same rules, configuration and tool
// version, a result that would not change — by emitting a placeholder the sink passes over.
// The largest input, when it is large (hoistBytes), is emitted first.
func (b *batch) source(items []batchInput, prior map[string]manifest.Entry) pipeline.Source {
	return func(ctx context.Context, emit func(*pipeline.Doc) error) error {
		loaded := false
		sent := make(map[int]bool, len(items))
		order := b.order(items)
		hoisted := len(order) > len(items) // order[0] is also in its place
		var grown *inParts                 // the hoisted input, read in parts in its place
		var grownIn output.Input
		for k, seq := range order {
			if err := ctx.Err(); err != nil {
				return err
			}
			if sent[seq] {
				continue // the hoisted input, in its place in the order
			}
			it := items[seq]
			old, known := prior[it.key]
			var d *pipeline.Doc
			var in output.Input
			var skip bool
			var parts *inParts
			if grown != nil && k > 0 && seq == order[0] {
				in, parts, grown = grownIn, grown, nil // hashed already
			} else {
				d, in, skip, parts = b.prepare(it, old, known)
			}
			if parts != nil && k == 0 && hoisted {
				// Hoisted, and grown past source.WholeBytes since it was listed: its parts would
				// wait for every input before it, holding the places of the documents in
				// flight, and the run would stall. It is read in its place instead.
				grown, grownIn = parts, in
				continue
			}
			sent[seq] = true
			if parts != nil { // a large text file, read a part at a time
				if !loaded {
					go segment.Load()
					loaded = true
				}
				if err := b.emitParts(ctx, seq, it, in, parts, emit); err != nil {
					return err
				}
				continue
			}
			if skip {
				b.skipped(old)
				d = &pipeline.Doc{Source: it.path, Status: statusUnchanged}
			} else {
				if !loaded && d.Status == "" {
					// Only when there is something to segment: a run with nothing new does not
					// pay for it (but for the cache's read, segment.Prefetch). In the background:
					// the workers read, clean and split the first documents meanwhile, and the
					// first to segment waits for it.
					go segment.Load()
					loaded = true
				}
				b.mu.Lock()
				b.infos[seq] = in
				b.mu.Unlock()
			}
			d.Seq = seq
			if err := emit(d); err != nil {
				return err
			}
		}
		return nil
	}
}

// emitParts emits the parts of a large text file, numbered seq (source.ReadParts), and removes
// the copy standard input was spooled to.
func (b *batch) emitParts(ctx context.Context, seq int, it batchInput, in output.Input, parts *inParts, emit func(*pipeline.Doc) error) error {
	b.mu.Lock()
	b.infos[seq] = in
	b.mu.Unlock()
	err := source.ReadParts(ctx, parts.path, it.path, &parts.sum, b.c.Batch.DocTimeout, func(d *pipeline.Doc) error {
		d.Seq = seq
		return emit(d)
	})
	if parts.path != it.path {
		os.Remove(parts.path)
	}
	return err
}

// order returns the order to read the inputs in: input order, except that the largest input
// comes first when it is at least hoistBytes and another worker can go on with the rest (it is
// also in its place, where the source passes over it once it has been sent).
func (b *batch) order(items []batchInput) []int {
	big := -1
	if b.c.Workers >= 2 {
		type sized struct {
			i    int
			size int64
		}
		var large []sized
		for i, it := range items {
			if it.err != nil || it.path == "-" {
				continue
			}
			if st, err := os.Stat(it.path); err == nil && st.Mode().IsRegular() && st.Size() >= hoistBytes && st.Size() <= source.WholeBytes {
				large = append(large, sized{i, st.Size()})
			}
		}
		slices.SortStableFunc(large, func(a, b sized) int { return cmp.Compare(b.size, a.size) })
		for _, l := range large {
			// A file read in parts is not: its parts would wait for every input before it,
			// holding the places of the documents in flight. (Its figures are counted only
			// for the largest files, until one is read whole.)
			if !source.InParts(items[l.i].path, l.size) {
				big = l.i
				break
			}
		}
	}
	order := make([]int, 0, len(items))
	if big >= 0 {
		order = append(order, big)
	}
	for i := range items {
		order = append(order, i)
	}
	return order
}

// inParts is a text file larger than source.WholeBytes, for source.ReadParts to read a part at
// a time: its path (a temporary copy for standard input) and its SHA-256.
type inParts struct {
	path string
	sum  [sha256.Size]byte
}

// prepare reads one input, unless the manifest shows it is done (skip), or, for a text file
// larger than source.WholeBytes, hashes it and returns it to be read in parts.
func (b *batch) prepare(it batchInput, old manifest.Entry, known bool) (d *pipeline.Doc, in output.Input, skip bool, parts *inParts) {
	in = output.Input{Key: it.key, ReadAt: time.Now().UnixNano(), MaxBytes: b.maxBytes, TimeoutMS: b.c.Batch.DocTimeout.Milliseconds()}
	same := known && !b.c.Batch.Force && old.RulesVersion == b.en.rules.Version && old.ConfigHash == b.c.Hash() &&
		old.ToolVersion == b.rec.ToolVersion // another newsfacts may clean, split or extract differently
	if it.err != nil {
		d = missingDoc(it.err)
		return d, in, same && sameFailure(old, d), nil
	}
	if it.path != "-" {
		if beforeRead != nil {
			beforeRead(it.path)
		}
		fi, err := os.Stat(it.path)
		switch {
		case err != nil:
			// Read names the problem as it does for any unreadable input.
		case !fi.Mode().IsRegular():
			// A named pipe or a device: reading it could block for ever.
			d = readFailed(it.path, fmt.Errorf("%s: %w", it.path, source.NotRegular(fi.Mode())))
			return d, in, same && sameFailure(old, d), nil
		default:
			in.Size, in.ModTime = fi.Size(), fi.ModTime().UnixNano()
			if same && old.Hash != "" && old.Size == in.Size && old.ModTime == in.ModTime &&
				time.Duration(old.ReadAt-old.ModTime) > racyWindow && b.settled(old) {
				// Size and time unchanged since it was read well after its last change: not
				// read again. (Before the size budget: a lower --max-bytes does not throw
				// away the rows of an input that was processed.)
				return nil, in, true, nil
			}
			if fi.Size() > b.maxBytes {
				d = b.tooLarge(it.path, fi.Size())
				return d, in, same && old.Status == pipeline.StatusTooLarge && old.Size == in.Size &&
					old.ModTime == in.ModTime && old.MaxBytes == b.maxBytes, nil
			}
			if source.InParts(it.path, fi.Size()) {
				if in, skip, parts, err := b.hashParts(it.path, in, old, same); err == nil {
					return nil, in, skip, parts
				}
				// Read names the problem as it does for any unreadable input.
			}
		}
	}
	stdin := b.e.stdin
	if it.path == "-" {
		whole, spooled, size, err := source.Spool(b.e.stdin, b.maxBytes)
		switch {
		case err != nil:
			return readFailed(it.path, err), in, false, nil
		case size > b.maxBytes:
			return b.tooLarge(it.path, size), in, false, nil
		case spooled != "": // larger than source.WholeBytes, or dense: read in parts from a copy
			in, skip, parts, err := b.hashParts(spooled, in, old, same)
			if err != nil || skip {
				os.Remove(spooled)
			}
			if err != nil {
				return readFailed(it.path, err), in, false, nil
			}
			return nil, in, skip, parts
		}
		stdin = bytes.NewReader(whole)
	}
	d = source.Read(source.Input{Path: it.path}, stdin)
	if d.Failed() {
		return d, in, same && sameFailure(old, d), nil
	}
	var sum [sha256.Size]byte
	if d.OnDisk != nil { // a large PDF, when hashParts could not hash it: Read did
		sum = d.OnDisk.Sum
	} else {
		sum = sha256.Sum256(d.Bytes)
	}
	in.Hash = hex.EncodeToString(sum[:])
	in.Size = d.Size
	if same && old.Hash == in.Hash && b.settled(old) {
		d.DropBytes()
		return nil, in, true, nil
	}
	if d.Size > b.maxBytes { // standard input, or a file that grew since it was listed
		d.DropBytes()
		in.Hash = ""
		return b.tooLarge(it.path, d.Size), in, false, nil
	}
	return d, in, false, nil
}

// hashParts hashes a text file larger than source.WholeBytes (path: the file, or standard
// input's copy) and returns it to be read in parts, or skip when the manifest shows it is done.
func (b *batch) hashParts(path string, in output.Input, old manifest.Entry, same bool) (output.Input, bool, *inParts, error) {
	sum, size, err := source.HashFile(path)
	if err != nil {
		return in, false, nil, err
	}
	in.Hash, in.Size = hex.EncodeToString(sum[:]), size
	if same && old.Hash == in.Hash && b.settled(old) {
		return in, true, nil, nil
	}
	return in, false, &inParts{path, sum}, nil
}

// readFailed is the failed document of an input that could not be read, its id from its path.
func readFailed(path string, err error) *pipeline.Doc {
	d := &pipeline.Doc{ID: unreadID(path), Source: path, Format: "text"}
	d.Fail("read", err)
	return d
}

// settled reports whether processing the same bytes again would give the same result: not
// for a document that ran out of time under a smaller budget than today's, nor for one that
// could not be read (that is not about its bytes).
func (b *batch) settled(old manifest.Entry) bool {
	switch old.Status {
	case pipeline.StatusTimeout:
		budget := b.c.Batch.DocTimeout.Milliseconds()
		return budget > 0 && old.TimeoutMS >= budget
	case pipeline.StatusTooLarge:
		return false
	case pipeline.StatusFailed, pipeline.StatusPartial: // partial: a file read in parts, some of which failed
		switch old.Stage {
		case "read":
			return false
		case "process":
			// A part of a file that ran out of time is given as process too (pipeline.Doc.File):
			// retried under a larger budget, as a timeout is. With no budget then, it was not
			// a timeout but an internal error, which the same bytes meet again.
			budget := b.c.Batch.DocTimeout.Milliseconds()
			return old.TimeoutMS == 0 || budget > 0 && old.TimeoutMS >= budget
		}
	}
	return true
}

// sameFailure reports whether an input that failed before it was read fails the same way.
func sameFailure(old manifest.Entry, d *pipeline.Doc) bool {
	return old.Status == d.Status && old.Stage == d.Stage && old.Error == d.Error && old.Source == d.Source
}

// tooLarge is the document of an input of size bytes, more than --max-bytes, not read (standard
// input is read up to one byte past the budget: its size is not known).
func (b *batch) tooLarge(path string, size int64) *pipeline.Doc {
	var msg string
	switch {
	case path == "-":
		msg = fmt.Sprintf("%s: more than --max-bytes %s: not read", path, humanBytes(b.maxBytes))
	case strings.EqualFold(filepath.Ext(path), ".pdf"):
		msg = fmt.Sprintf("%s: %s is more than --max-bytes %s: not read (a large PDF is read from disk, a part of its pages at a time: raise --max-bytes to read it)",
			path, humanBytes(size), humanBytes(b.maxBytes))
	default:
		msg = fmt.Sprintf("%s: %s is more than --max-bytes %s: not read (a text file of any size is read in parts, in the same memory: raise --max-bytes to read it)",
			path, humanBytes(size), humanBytes(b.maxBytes))
	}
	return &pipeline.Doc{
		ID: unreadID(path), Source: path, Format: "text", Size: size,
		Status: pipeline.StatusTooLarge, Stage: "read", Error: msg,
	}
}

// unreadID is the doc_id of an input whose bytes were not read: from its path.
func unreadID(path string) string {
	h := sha256.Sum256([]byte("unread\x00" + path))
	return hex.EncodeToString(h[:8])
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// failure reports whether a status means the input gave no usable result.
func failure(status string) bool {
	switch status {
	case pipeline.StatusFailed, pipeline.StatusTooLarge, pipeline.StatusTimeout:
		return true
	}
	return false
}

// skipped accounts for an input the manifest shows is done.
func (b *batch) skipped(old manifest.Entry) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rec.Inputs.Skipped++
	b.rec.Skipped[old.Status]++
	if failure(old.Status) {
		b.fails++
		b.e.log.Warn("input failed (unchanged since an earlier run)", "file", old.Source, "status", old.Status, "stage", old.Stage, "error", old.Error, "run", old.Run)
		b.rec.addError(old.Source, old.Status, old.Stage, old.Error, true)
	}
	b.bar.add(0, 0, true)
}

// sink is the runner's sink: it accounts for each document and writes it.
func (b *batch) sink(ds *output.Dataset) pipeline.Sink {
	return func(d *pipeline.Doc) error {
		if d.Status == statusUnchanged {
			return nil // accounted for when the source passed over it
		}
		// A file read in parts (pipeline.Part) is one input: it is counted, and its failure
		// told, with its last part.
		last := !d.Part.More
		_, status, stage, msg := d.File()
		// Some parts of a file read in parts failed, and their rows are missing. (A file whose
		// parts were all processed, some with PDF pages lost, is partial with no stage, as a
		// whole PDF may be.)
		partsMissing := status == pipeline.StatusPartial && !d.Whole() && stage != ""
		b.mu.Lock()
		in := b.infos[d.Seq]
		b.rec.addPart(d)
		if last {
			delete(b.infos, d.Seq)
			b.rec.add(status)
			if failure(status) {
				b.fails++
			}
			if failure(status) || partsMissing {
				b.rec.addError(d.Source, status, stage, msg, false)
			}
		}
		b.mu.Unlock()
		if last && failure(status) {
			b.e.log.Warn("input failed", "file", d.Source, "status", status, "stage", stage, "error", msg)
		} else if last && partsMissing {
			b.e.log.Warn("input partly failed: the rows of its parts that failed are missing", "file", d.Source, "stage", stage, "error", msg)
		}
		b.bar.add(d.Size, len(d.Facts), last)
		if err := ds.Write(d, in); err != nil {
			return err
		}
		if n := b.c.Batch.Checkpoint; n > 0 && last && ds.Uncommitted() >= n {
			info, err := ds.Checkpoint(b.record("checkpoint"))
			if err != nil {
				return err
			}
			b.e.log.Info("checkpoint committed", "run", b.runID, "documents", info.Written, "parts", info.Parts)
		}
		return nil
	}
}

// record returns the callback a commit calls for the run record, with the run's status
// after that commit: checkpoint or committed.
func (b *batch) record(status string) func(output.CommitInfo) ([]byte, error) {
	return func(info output.CommitInfo) ([]byte, error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.rec.Commit = &info
		b.rec.finish(status, nil)
		return b.rec.json()
	}
}

// runRecord is the record of one run, kept in the dataset (_runs/<run>.json) and written to
// --summary FILE.
type runRecord struct {
	RunID        string         `json:"run_id"`
	Status       string         `json:"status"` // committed, failed, interrupted; checkpoint in the records of a run still going
	Error        string         `json:"error,omitempty"`
	Start        time.Time      `json:"start"`
	End          time.Time      `json:"end"`
	Seconds      float64        `json:"seconds"`
	Out          string         `json:"out"`
	Args         []string       `json:"args"`
	Shard        *shardRecord   `json:"shard,omitempty"`
	ToolVersion  string         `json:"tool_version"`
	RulesVersion string         `json:"rules_version"`
	ConfigHash   string         `json:"config_hash"`
	Command      string         `json:"command"` // run, or compact
	Inputs       inputCounts    `json:"inputs"`
	Documents    map[string]int `json:"documents"` // documents processed by this run, by status
	Skipped      map[string]int `json:"skipped"`   // inputs unchanged since an earlier run, by the status they have
	Facts        map[string]int `json:"facts"`     // facts found by this run, by kind
	Entities     map[string]int `json:"entities"`  // entities found by this run, by kind
	Articles     int            `json:"articles"`
	Bytes        int64          `json:"bytes"` // bytes of the documents processed

	Commit *output.CommitInfo `json:"commit,omitempty"`

	Errors        []inputError `json:"errors"` // every input that failed, with its reason
	ErrorsOmitted int          `json:"errors_omitted,omitempty"`

	Pruned        []string `json:"pruned,omitempty"` // inputs deleted from the archive whose rows --prune removed
	PrunedOmitted int      `json:"pruned_omitted,omitempty"`
}

type shardRecord struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

type inputCounts struct {
	Found     int `json:"found"`     // files found and arguments that named nothing
	Shard     int `json:"shard"`     // of them, this run's share (all without --shard-count)
	Processed int `json:"processed"` // processed by this run
	Skipped   int `json:"skipped"`   // unchanged since an earlier run, with the same rules, configuration and version
	Deleted   int `json:"deleted"`   // known from earlier runs, deleted from the archive since (found with --prune)
	Recovered int `json:"recovered"` // arguments that named nothing readable in an earlier run and name inputs now (recovered)
}

type inputError struct {
	Source    string `json:"source"`
	Status    string `json:"status"`
	Stage     string `json:"stage,omitempty"`
	Error     string `json:"error"`
	Unchanged bool   `json:"unchanged,omitempty"` // failed in an earlier run, not tried again
}

func newRecord(runID string, t0 time.Time, c Config, set *rules.Set, args []string) *runRecord {
	r := &runRecord{
		RunID: runID, Command: "run", Status: "failed", Start: t0.UTC(), Out: c.Out, Args: validTexts(args),
		ToolVersion: toolVersion(), ConfigHash: c.Hash(),
		Documents: map[string]int{}, Skipped: map[string]int{}, Facts: map[string]int{}, Entities: map[string]int{},
		Errors: []inputError{},
	}
	if set != nil {
		r.RulesVersion = set.Version
	}
	if c.Batch.ShardCount > 1 {
		r.Shard = &shardRecord{Index: c.Batch.ShardIndex, Count: c.Batch.ShardCount}
	}
	return r
}

// add counts an input processed, with its status.
func (r *runRecord) add(status string) {
	r.Inputs.Processed++
	r.Documents[status]++
}

// addPart counts what a document (a file, or one part of it) held.
func (r *runRecord) addPart(d *pipeline.Doc) {
	r.Bytes += d.Size
	r.Articles += len(d.Articles)
	for _, f := range d.Facts {
		r.Facts[f.Kind]++
	}
	for _, en := range d.Entities {
		r.Entities[en.Kind]++
	}
}

func (r *runRecord) addError(src, status, stage, msg string, unchanged bool) {
	if len(r.Errors) >= maxErrorsInRecord {
		r.ErrorsOmitted++
		return
	}
	// As the documents table has them: a path that is not UTF-8 with its bytes as \xHH.
	r.Errors = append(r.Errors, inputError{Source: output.ValidText(src), Status: status, Stage: stage, Error: output.ValidText(msg), Unchanged: unchanged})
}

// validTexts is output.ValidText of each of args, as the record gives paths.
func validTexts(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = output.ValidText(a)
	}
	return out
}

func (r *runRecord) finish(status string, err error) {
	r.Status = status
	if err != nil {
		r.Error = output.ValidText(err.Error())
	}
	r.End = time.Now().UTC()
	r.Seconds = r.End.Sub(r.Start).Seconds()
}

func (r *runRecord) json() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	return append(b, '\n'), err
}

// print writes the human summary.
func (r *runRecord) print(w io.Writer) {
	n := 0
	for _, k := range r.Documents {
		n += k
	}
	line := fmt.Sprintf("documents: %d (ok %d, partial %d, failed %d", n, r.Documents[pipeline.StatusOK], r.Documents[pipeline.StatusPartial], r.Documents[pipeline.StatusFailed])
	for _, s := range []string{pipeline.StatusTooLarge, pipeline.StatusTimeout} {
		if r.Documents[s] > 0 {
			line += fmt.Sprintf(", %s %d", s, r.Documents[s])
		}
	}
	fmt.Fprintln(w, line+")")
	if r.Inputs.Skipped > 0 {
		fmt.Fprintf(w, "skipped: %d unchanged since an earlier run (%s)\n", r.Inputs.Skipped, counts(r.Skipped))
	}
	total := 0
	for _, k := range r.Facts {
		total += k
	}
	fmt.Fprintf(w, "facts: %d (%s)\n", total, counts(r.Facts))
	ents := 0
	for _, k := range r.Entities {
		ents += k
	}
	fmt.Fprintf(w, "entities: %d\n", ents)
	mb := float64(r.Bytes) / 1e6
	fmt.Fprintf(w, "time: %.2fs for %.1f MB (%.2f MB/s)\n", r.Seconds, mb, mb/max(r.Seconds, 1e-9))
	if r.Inputs.Deleted > 0 {
		fmt.Fprintf(w, "pruned: %d inputs deleted from the archive, their rows removed\n", r.Inputs.Deleted)
	}
	if r.Inputs.Recovered > 0 {
		fmt.Fprintf(w, "recovered: %d folders or patterns that named nothing readable before, their failed rows removed\n", r.Inputs.Recovered)
	}
	if c := r.Commit; c != nil && c.PartsCompacted > 0 {
		fmt.Fprintf(w, "compacted: %d small parts merged into %d\n", c.PartsCompacted, c.PartsMerged)
	}
	where := fmt.Sprintf("dataset: %s/{documents,articles,facts,entities}/", r.Out)
	if c := r.Commit; c != nil {
		where += fmt.Sprintf(" (%d parts, %d documents; run %s)", c.Parts, c.DatasetRows[output.TableDocuments], r.RunID)
	}
	fmt.Fprintln(w, where)
}

// counts prints a map as "k1 n1, k2 n2", sorted by key.
func counts(m map[string]int) string {
	var parts []string
	for k, n := range m {
		parts = append(parts, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
