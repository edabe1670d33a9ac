package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// openRegular opens the file at path for reading, refusing anything but a regular file
// without waiting for it: opening a named pipe for reading blocks until a writer comes, for
// ever when none does, and neither SIGINT nor the run's deadline can end that. The type is
// looked at before opening (Stat, following links) and again on the file opened, which is
// opened without blocking where the system allows (openFlags), in case it was swapped
// between the two.
func openRegular(path string) (*os.File, fs.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if err := NotRegular(fi.Mode()); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err = f.Stat()
	if err == nil {
		err = NotRegular(fi.Mode())
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// OpenPipe opens the named pipe at path to be read as a stream, as standard input is (`newsfacts
// extract <(zcat a.gz)`, whose argument is such a pipe). Like cat, it waits for a writer to
// open the pipe, but only until ctx is done (Ctrl-C): the open waits in a goroutine of its own,
// left behind then, where a wait in the caller's could not be ended. The file is also closed
// once ctx is done, which ends a read waiting on a writer that never writes. It refuses
// anything but a named pipe.
func OpenPipe(ctx context.Context, path string) (io.ReadCloser, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		ch <- opened{f, err}
	}()
	var f *os.File
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, o.err
		}
		f = o.f
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, ctx.Err()
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		f.Close()
		if err == nil {
			err = errors.New("not a named pipe")
		}
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { f.Close() })
	return &pipe{f, stop}, nil
}

// pipe is a named pipe being read, closed early should its context end first.
type pipe struct {
	*os.File
	stop func() bool
}

func (p *pipe) Close() error {
	p.stop()
	return p.File.Close()
}

// NotRegular is the error for reading a file of mode m, nil for a regular file: "is a
// directory", "not a regular file (a named pipe)". run (cmd/newsfacts, prepare) gives it too,
// for a file it refuses before reading.
func NotRegular(m fs.FileMode) error {
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return errors.New("is a directory")
	}
	return fmt.Errorf("not a regular file (%s)", fileKind(m))
}

// fileKind names the type of a file that is not a regular file, for messages: "a named
// pipe", "a socket", "a device", "a directory", else the mode's type letters.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return m.Type().String()
}
