//go:build unix

package source

import (
	"context"
	"net"
	"os"
	"path/filepath"
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
