package source

import (
	"errors"
	"fmt"
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
	if err := notRegular(fi.Mode()); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err = f.Stat()
	if err == nil {
		err = notRegular(fi.Mode())
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// notRegular is the error for reading a file of mode m, nil for a regular file. The wording
// is the one run gives (cmd/newsfacts, prepare): "is a directory", "not a regular file (a
// named pipe)".
func notRegular(m fs.FileMode) error {
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return errors.New("is a directory")
	}
	return fmt.Errorf("not a regular file (%s)", FileKind(m))
}

// FileKind names the type of a file that is not a regular file, for messages: "a named
// pipe", "a socket", "a device", "a directory", else the mode's type letters.
func FileKind(m fs.FileMode) string {
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
