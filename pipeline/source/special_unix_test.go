//go:build unix

package source

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsfacts/newsfacts/pipeline"
)

// specialFiles makes, in dir, a named pipe, a symbolic link to it and a Unix socket, and
// returns their paths with the reason reading each must fail with.
func specialFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	fifo := filepath.Join(dir, "fifo.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("named pipes not available: %v", err)
	}
	files := map[string]string{fifo: "not a regular file (a named pipe)"}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink("fifo.txt", link); err == nil {
		files[link] = "not a regular file (a named pipe)"
	}
	sock := filepath.Join(dir, "sock.txt")
	if l, err := net.Listen("unix", sock); err == nil {
		t.Cleanup(func() { l.Close() })
		files[sock] = "not a regular file (a socket)"
	}
	return files
}

// returnsSoon runs f and fails the test when it has not returned after a few seconds: opening a
// named pipe for reading waits for a writer. It then opens the pipe for writing, so that a
// blocked f returns and the test ends.
func returnsSoon(t *testing.T, fifo string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Errorf("still waiting on %s after 5 s", fifo)
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		<-done
	}
}

// TestReadSpecialFiles: Read, ReadParts and HashFile refuse a named pipe (or a link to one) and
// a socket at once, naming the file and its kind, as run does; before, opening the pipe waited
// for ever and extract, clean and explain hung.
func TestReadSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.txt")
	for path, reason := range specialFiles(t, dir) {
		want := path + ": " + reason
		t.Run(filepath.Base(path), func(t *testing.T) {
			var d *pipeline.Doc
			returnsSoon(t, fifo, func() { d = Read(Input{Path: path}, nil) })
			if d == nil || !d.Failed() || d.Stage != "read" || d.Error != want || d.Source != path || len(d.ID) != 16 {
				t.Errorf("Read(%s) = %+v, want failed in read with %q", path, d, want)
			}
			var parts []*pipeline.Doc
			returnsSoon(t, fifo, func() {
				ReadParts(context.Background(), path, path, nil, 0, func(d *pipeline.Doc) error {
					parts = append(parts, d)
					return nil
				})
			})
			if len(parts) != 1 || !parts[0].Failed() || parts[0].Error != want {
				t.Errorf("ReadParts(%s) emitted %d documents, the first %+v; want one failed with %q", path, len(parts), parts, want)
			}
			var err error
			returnsSoon(t, fifo, func() { _, _, err = HashFile(path) })
			if err == nil || err.Error() != want {
				t.Errorf("HashFile(%s): %v, want %q", path, err, want)
			}
		})
	}
}

// TestExpandSpecialFiles: a named pipe, a link to one and a socket in a folder, or matched by a
// pattern, are inputs (hidden ones stay skipped), which Read then refuses with their reason;
// before, the walk kept only regular files and they vanished without a word, and a pattern
// matching only a pipe said it matched nothing.
func TestExpandSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	special := specialFiles(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("1998年"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, ".hidden.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	subFifo := filepath.Join(sub, "f.txt")
	if err := syscall.Mkfifo(subFifo, 0o644); err != nil {
		t.Fatal(err)
	}
	special[subFifo] = "not a regular file (a named pipe)"
	fifo, link, sock := filepath.Join(dir, "fifo.txt"), filepath.Join(dir, "link.txt"), filepath.Join(dir, "sock.txt")
	all := []string{filepath.Join(dir, "a.txt"), fifo, link, sock, subFifo}
	var present []string
	for _, p := range all {
		if _, ok := special[p]; ok || p == all[0] {
			present = append(present, p)
		}
	}
	tests := []struct {
		arg  string
		want []string
	}{
		{dir, present},
		{filepath.Join(dir, "f*.txt"), []string{fifo}},
		{filepath.Join(dir, "**", "f*.txt"), []string{fifo, subFifo}},
		{filepath.Join(dir, "[ls]*.txt"), slices.DeleteFunc(slices.Clone(present), func(p string) bool {
			return p == subFifo || !strings.ContainsAny(filepath.Base(p)[:1], "ls")
		})},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.arg), func(t *testing.T) {
			in, errs := Expand([]string{tt.arg})
			var got []string
			for _, i := range in {
				got = append(got, i.Path)
			}
			if len(errs) > 0 || !slices.Equal(got, tt.want) {
				t.Fatalf("Expand(%s) = %v, errors %v; want %v", tt.arg, got, errs, tt.want)
			}
			for _, i := range in {
				reason, ok := special[i.Path]
				if !ok {
					continue
				}
				var d *pipeline.Doc
				returnsSoon(t, fifo, func() { d = Read(i, nil) })
				if want := i.Path + ": " + reason; d.Error != want {
					t.Errorf("Read(%s): error %q, want %q", i.Path, d.Error, want)
				}
			}
		})
	}
}

// OpenPipe waits for a writer as cat does, and gives up when its context is done: no writer
// ever comes here, and the call returns the context's error instead of waiting for ever.
func TestOpenPipeCancelled(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "p.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if r, err := OpenPipe(ctx, fifo); !errors.Is(err, context.Canceled) {
		t.Errorf("OpenPipe = %v, %v; want context.Canceled", r, err)
	}
	if _, err := OpenPipe(context.Background(), t.TempDir()); err == nil {
		t.Error("OpenPipe of a folder: no error")
	}
}
