//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The locks are flock(2) locks: the kernel drops them when the process dies, however it dies,
// so a lock left by a killed run is simply free, and the next run takes it over. A file next
// to the lock (<lock>.pid) names the holder for the message a refused run prints; it is
// removed when the lock is released, so one found when taking the lock was left by a run that
// died.
//
//	unsharded run:        DIR/_lock exclusive
//	shard I of N:         DIR/_lock shared, DIR/_lock-shard-I exclusive
//
// so shards run side by side, while an unsharded run and a shard, or two runs of one shard,
// exclude each other. Commits take turns on the manifest (see output/manifest).

var errLocked = errors.New("locked by another process")

// lockFile opens (creating) path and locks it exclusively, waiting when wait is set, else
// failing with errLocked when another process holds it.
func lockFile(path string, wait bool) (*os.File, error) {
	return flockFile(path, syscall.LOCK_EX, wait)
}

func flockFile(path string, how int, wait bool) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

type dirLock struct {
	files   []*os.File
	pidFile string
}

// lockDataset takes the run lock of dir: the whole dataset, or one shard of it.
func lockDataset(dir string, shard, shards int, log func(string, ...any)) (*dirLock, error) {
	main := filepath.Join(dir, LockFile)
	l := &dirLock{}
	if shards <= 1 {
		f, err := flockFile(main, syscall.LOCK_EX, false)
		if errors.Is(err, errLocked) {
			return nil, &LockedError{Dir: dir, Shard: -1, Holder: holders(dir)}
		}
		if err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
		l.files = append(l.files, f)
		l.pidFile = main + ".pid"
	} else {
		f, err := flockFile(main, syscall.LOCK_SH, false)
		if errors.Is(err, errLocked) {
			return nil, &LockedError{Dir: dir, Shard: -1, Holder: readHolder(main + ".pid")}
		}
		if err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
		sl := fmt.Sprintf("%s-shard-%d", main, shard)
		g, err := flockFile(sl, syscall.LOCK_EX, false)
		if err != nil {
			f.Close()
			if errors.Is(err, errLocked) {
				return nil, &LockedError{Dir: dir, Shard: shard, Holder: readHolder(sl + ".pid")}
			}
			return nil, fmt.Errorf("output: %w", err)
		}
		l.files = append(l.files, f, g)
		l.pidFile = sl + ".pid"
	}
	if old := readHolder(l.pidFile); old != "" {
		log("took over the lock of a run that stopped without releasing it", "holder", old)
	}
	host, _ := os.Hostname()
	note := fmt.Sprintf("pid %d on %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if err := os.WriteFile(l.pidFile, []byte(note), 0o644); err != nil {
		l.release()
		return nil, fmt.Errorf("output: %w", err)
	}
	return l, nil
}

func (l *dirLock) release() {
	if l.pidFile != "" {
		os.Remove(l.pidFile)
		l.pidFile = ""
	}
	for _, f := range l.files {
		f.Close()
	}
	l.files = nil
}

func readHolder(pidFile string) string {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// holders names whoever keeps an unsharded run out: an unsharded run, or shards.
func holders(dir string) string {
	if h := readHolder(filepath.Join(dir, LockFile+".pid")); h != "" {
		return h
	}
	files, _ := filepath.Glob(filepath.Join(dir, LockFile+"-shard-*.pid"))
	var hs []string
	for _, f := range files {
		if h := readHolder(f); h != "" {
			shard := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), LockFile+"-"), ".pid")
			hs = append(hs, shard+": "+h)
		}
	}
	return strings.Join(hs, "; ")
}
