// Package source finds the inputs of a run (files, directories, globs, standard input) and
// turns their bytes into text, detecting the encoding, so later stages only ever see UTF-8.
//
// Newspaper text arrives as UTF-8, GBK/GB18030 or UTF-16, with or without a byte-order mark
// and with any line endings; this package is the one place that knows about that.
package source

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// stdinPath is the Input.Path that stands for standard input.
const stdinPath = "-"

// Input is one thing to read: a path, or "-" for standard input. Name, when set, is what the
// document and its messages call it instead of Path: "-" for standard input spooled to a file.
type Input struct{ Path, Name string }

// Expand turns command-line arguments into inputs, in a deterministic order: a file as is; a
// directory recursively (all files, sorted by path, skipping hidden files/dirs whose name
// starts with "." ); a glob pattern (path/filepath.Match syntax, plus "**" meaning any
// number of directories) expanded and sorted; "-" as standard input. A directory symlink loop
// must not hang (track visited real dirs). An argument that matches nothing is an error naming
// it (returned in the errs slice; the caller reports it and goes on with the rest). Duplicate
// paths are kept once.
//
// Inputs keep the order of the arguments; the files of one directory or pattern are sorted
// by path. Symbolic links are followed, except a link to a directory that holds it (a loop).
// A directory reached twice within one argument (through links) is walked once, under its
// real path when it has one: plain directories are walked before linked ones. A glob match
// that is a directory is walked like a directory argument. A pattern's "*" does not match a
// hidden name unless the pattern component starts with ".", and "**" does not enter hidden
// directories.
//
// A named pipe, socket or device (or a link to one) found in a directory or matched by a
// pattern is an input like a regular file: Read refuses it with its reason ("not a regular
// file (a named pipe)"), so that it is reported and has its row instead of vanishing.
func Expand(args []string) (inputs []Input, errs []error) {
	seen := make(map[string]bool)
	for _, arg := range args {
		paths, argErrs := expandArg(arg)
		errs = append(errs, argErrs...)
		for _, p := range paths {
			k := key(p)
			if seen[k] {
				continue
			}
			seen[k] = true
			inputs = append(inputs, Input{Path: p})
		}
	}
	return inputs, errs
}

// key identifies a path for duplicate removal: "a.txt", "./a.txt" and its absolute path are
// the same input.
func key(p string) string {
	if p == stdinPath {
		return p
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// expandArg expands one argument into its paths, sorted unless it is a single file.
func expandArg(arg string) ([]string, []error) {
	if arg == stdinPath {
		return []string{stdinPath}, nil
	}
	fi, err := os.Stat(arg)
	switch {
	case err == nil && fi.IsDir():
		w := newWalker()
		w.walk(arg)
		return w.result(arg, "no files in the directory")
	case err == nil:
		return []string{arg}, nil
	case hasMeta(arg):
		return expandGlob(arg)
	case errors.Is(err, fs.ErrNotExist):
		return nil, []error{pathErr(arg, errors.New("no such file or directory"))}
	default:
		return nil, []error{pathErr(arg, err)}
	}
}

// walker collects the files (all but directories) under directories, following symbolic
// links and walking each real directory once.
type walker struct {
	visited map[string]bool // real (absolute, link-free) paths of the directories walked
	files   []string
	errs    []error
	links   []dirLink // linked directories met in a walk, walked after the plain ones
}

// dirLink is a directory reached through a symbolic link: the path it is shown under and
// its real path.
type dirLink struct{ path, real string }

func newWalker() *walker { return &walker{visited: make(map[string]bool)} }

// walk adds the files under dir, at any depth.
func (w *walker) walk(dir string) {
	real, err := realPath(dir)
	if err != nil {
		w.errs = append(w.errs, pathErr(dir, err))
		return
	}
	w.links = append(w.links, dirLink{dir, real})
	for len(w.links) > 0 {
		l := w.links[0]
		w.links = w.links[1:]
		if !w.visited[l.real] {
			w.visited[l.real] = true
			w.dir(l.path, l.real)
		}
	}
}

// dir walks one directory whose real path is real: files are added, plain subdirectories
// walked at once, linked ones queued.
func (w *walker) dir(path, real string) {
	entries, err := os.ReadDir(path)
	if err != nil {
		// ReadDir returns the entries it read before the error; use them.
		w.errs = append(w.errs, pathErr(path, err))
	}
	for _, e := range entries {
		name := e.Name()
		if hidden(name) {
			continue
		}
		p := filepath.Join(path, name)
		switch t := e.Type(); {
		case t.IsRegular():
			w.files = append(w.files, p)
		case t.IsDir():
			r := filepath.Join(real, name)
			if !w.visited[r] {
				w.visited[r] = true
				w.dir(p, r)
			}
		case t&fs.ModeSymlink != 0:
			w.link(p, real)
		default: // a named pipe, socket or device: Read says why it cannot be read
			w.files = append(w.files, p)
		}
	}
}

// link handles a symbolic link met in a walk of the directory with real path parent: a file
// is added (a named pipe, socket or device too: Read refuses it), a directory queued unless
// it holds the link (a loop), a broken link reported.
func (w *walker) link(p, parent string) {
	fi, err := os.Stat(p)
	if err != nil {
		w.errs = append(w.errs, pathErr(p, brokenLink(err)))
		return
	}
	switch {
	case fi.IsDir():
		real, err := realPath(p)
		if err != nil {
			w.errs = append(w.errs, pathErr(p, err))
			return
		}
		if !within(parent, real) {
			w.links = append(w.links, dirLink{p, real})
		}
	default:
		w.files = append(w.files, p)
	}
}

// result returns the files found, sorted, or an error naming arg when there are none and
// nothing else went wrong.
func (w *walker) result(arg, nothing string) ([]string, []error) {
	if len(w.files) == 0 && len(w.errs) == 0 {
		return nil, []error{pathErr(arg, errors.New(nothing))}
	}
	sort.Strings(w.files)
	return w.files, w.errs
}

// glob expands one pattern. comps are the pattern's components after its literal prefix.
// Like the walker, it goes through plain directories first and through linked ones after,
// so that a directory reached both ways is listed under its real path.
type glob struct {
	*walker
	comps   []string
	done    map[globStep]bool // "**" steps taken, so "**" ends on link loops
	pending []func()          // work on linked directories, done after the rest
}

// globStep is "**" (component comp) applied to the directory with real path real.
type globStep struct {
	real string
	comp int
}

// expandGlob expands a pattern into the files it matches, sorted.
func expandGlob(pattern string) ([]string, []error) {
	root, comps := splitPattern(pattern)
	for _, c := range comps {
		if _, err := filepath.Match(c, ""); err != nil {
			return nil, []error{pathErr(pattern, errors.New("malformed glob pattern"))}
		}
	}
	g := &glob{walker: newWalker(), comps: comps, done: make(map[globStep]bool)}
	if isDir(root) {
		g.expand(root, 0)
	}
	for len(g.pending) > 0 {
		f := g.pending[0]
		g.pending = g.pending[1:]
		f()
	}
	return g.result(pattern, "no files match the pattern")
}

// splitPattern splits a pattern into the directory named by its literal leading components
// ("." when there are none) and the components from the first one with a wildcard on.
func splitPattern(pattern string) (root string, comps []string) {
	vol := filepath.VolumeName(pattern)
	rest := filepath.ToSlash(pattern[len(vol):])
	root = vol
	if strings.HasPrefix(rest, "/") {
		root += string(filepath.Separator)
	}
	for _, c := range strings.Split(rest, "/") {
		if c != "" && c != "." {
			comps = append(comps, c)
		}
	}
	for len(comps) > 0 && !hasMeta(comps[0]) {
		root = filepath.Join(root, comps[0])
		comps = comps[1:]
	}
	if root == "" || root == vol {
		root = filepath.Join(vol, ".")
	}
	return root, comps
}

// expand matches the components from i on against the entries under dir, which exists and
// is a directory.
func (g *glob) expand(dir string, i int) {
	if i == len(g.comps) {
		g.match(dir)
		return
	}
	c := g.comps[i]
	last := i == len(g.comps)-1
	switch {
	case c == "**":
		real, err := realPath(dir)
		if err != nil {
			g.errs = append(g.errs, pathErr(dir, err))
			return
		}
		if g.done[globStep{real, i}] {
			return
		}
		g.done[globStep{real, i}] = true
		g.expand(dir, i+1) // "**" as no directory at all
		for _, e := range g.entries(dir) {
			p := filepath.Join(dir, e.Name())
			switch {
			case hidden(e.Name()):
			case e.IsDir():
				g.expand(p, i) // "**" as one more directory
			case e.Type()&fs.ModeSymlink != 0 && isDir(p):
				if target, err := realPath(p); err == nil && !within(real, target) {
					g.pending = append(g.pending, func() { g.expand(p, i) })
				}
			}
		}
	case !hasMeta(c):
		p := filepath.Join(dir, c)
		if last {
			if _, err := os.Lstat(p); err == nil {
				g.match(p)
			}
		} else if isDir(p) {
			g.expand(p, i+1)
		}
	default:
		for _, e := range g.entries(dir) {
			name := e.Name()
			if hidden(name) && !hidden(c) {
				continue
			}
			if ok, _ := filepath.Match(c, name); !ok {
				continue
			}
			p := filepath.Join(dir, name)
			if last {
				g.match(p)
			} else if isDir(p) {
				g.expand(p, i+1)
			}
		}
	}
}

// entries lists dir, reporting a directory it cannot read.
func (g *glob) entries(dir string) []fs.DirEntry {
	entries, err := os.ReadDir(dir)
	if err != nil {
		g.errs = append(g.errs, pathErr(dir, err))
	}
	return entries
}

// match takes a path the whole pattern matched: a directory is walked (later, when it is a
// link), any other file added (a named pipe, socket or device too: Read refuses it).
func (g *glob) match(p string) {
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		g.errs = append(g.errs, pathErr(p, brokenLink(err)))
	case fi.IsDir():
		li, err := os.Lstat(p)
		if err != nil || li.Mode()&fs.ModeSymlink == 0 {
			g.walk(p)
			return
		}
		parent, err1 := realPath(filepath.Dir(p))
		target, err2 := realPath(p)
		if err1 == nil && err2 == nil && !within(parent, target) {
			g.pending = append(g.pending, func() { g.walk(p) })
		}
	default:
		g.files = append(g.files, p)
	}
}

// hasMeta reports whether a path holds filepath.Match wildcards.
func hasMeta(s string) bool {
	magic := `*?[\`
	if runtime.GOOS == "windows" {
		magic = `*?[`
	}
	return strings.ContainsAny(s, magic)
}

func hidden(name string) bool { return strings.HasPrefix(name, ".") }

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// realPath returns the absolute path of p with every symbolic link resolved.
func realPath(p string) (string, error) {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	return filepath.Abs(r)
}

// within reports whether the real path p is dir or lies under it: a link in p to dir is
// a loop.
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

func brokenLink(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("broken symbolic link")
	}
	return err
}

// inputError is a problem with one input: its message starts with the path.
type inputError struct {
	path string
	err  error
}

func (e *inputError) Error() string { return e.path + ": " + e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// pathErr names path in err, dropping the operation and path of an *fs.PathError so the
// message reads "<path>: <problem>".
func pathErr(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if path == stdinPath {
		path = "standard input"
	}
	return &inputError{path: path, err: err}
}
