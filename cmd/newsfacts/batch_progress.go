package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// progress is the progress bar of `newsfacts run`: files done of all, megabytes read, facts
// found, rate and time left. It is drawn on standard error when that is a terminal, and is
// nil (every method a no-op) when it is not, so logs collected by cron or Kubernetes carry no
// bar.
type progress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	bytes int64
	facts int
}

func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func newProgress(w io.Writer, files int) *progress {
	return &progress{bar: progressbar.NewOptions(files,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("0.0 MB, 0 facts"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("files"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)}
}

// add counts one input done: processed (with its bytes and facts) or skipped.
func (p *progress) add(bytes int64, facts int, input bool) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bytes += bytes
	p.facts += facts
	p.bar.Describe(fmt.Sprintf("%.1f MB, %d facts", float64(p.bytes)/1e6, p.facts))
	if input { // not a part of a file with more to come: the bar counts inputs
		p.bar.Add(1)
	}
}

func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.Finish()
}

// Write lets the logger write through the bar: the bar's line is cleared first, and drawn
// again with the next file.
func (p *progress) logWriter(w io.Writer) io.Writer {
	return writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.bar.Clear()
		return w.Write(b)
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// newLogger is the logger of setup, writing to w.
func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
