package source

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// budgetFree reports whether all of BytesInFlight is free, leaving it so.
func budgetFree() bool {
	if !inFlight.TryAcquire(BytesInFlight) {
		return false
	}
	inFlight.Release(BytesInFlight)
	return true
}

// A file larger than WholeBytes read whole holds its share of BytesInFlight until it is
// decoded, dropped unread, or (the safety net) collected; a smaller one takes none.
func TestBytesInFlight(t *testing.T) {
	dir := t.TempDir()
	large := filepath.Join(dir, "large.txt")
	if err := os.WriteFile(large, []byte(strings.Repeat("全市粮食总产量250万吨。\n", WholeBytes/30+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small.txt")
	if err := os.WriteFile(small, []byte("温岭已拥有上市企业5家。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !budgetFree() {
		t.Fatal("the budget is taken before any read")
	}

	d := Read(Input{Path: small}, nil)
	if d.Failed() || !budgetFree() {
		t.Fatalf("a small file took a share of the budget (%s)", d.Error)
	}

	d = Read(Input{Path: large}, nil)
	if d.Failed() || d.Size <= WholeBytes {
		t.Fatalf("read %d bytes: %s", d.Size, d.Error)
	}
	if budgetFree() {
		t.Fatal("a large file read whole took no share of the budget")
	}
	if !inFlight.TryAcquire(BytesInFlight - d.Size) {
		t.Fatal("a large file took more than its size")
	}
	inFlight.Release(BytesInFlight - d.Size)
	Decode(d)
	if d.Failed() || d.Raw == "" || d.Bytes != nil {
		t.Fatalf("decode: %q, %d bytes left", d.Error, len(d.Bytes))
	}
	if !budgetFree() {
		t.Fatal("Decode did not give the share back")
	}
	d.DropBytes() // once only: giving it back twice would leave the budget larger than it is
	if inFlight.TryAcquire(BytesInFlight + 1) {
		t.Fatal("the share was given back twice")
	}

	d = Read(Input{Path: large}, nil)
	d.DropBytes()
	if !budgetFree() {
		t.Fatal("DropBytes did not give the share back")
	}

	// The runner's stages decode with DecodeHeld and give the share back once processed.
	d = Read(Input{Path: large}, nil)
	DecodeHeld(d)
	if d.Failed() || d.Raw == "" || d.Bytes != nil {
		t.Fatalf("DecodeHeld: %q, %d bytes left", d.Error, len(d.Bytes))
	}
	if budgetFree() {
		t.Fatal("DecodeHeld gave the share back before the document was processed")
	}
	d.DropBytes()
	if !budgetFree() {
		t.Fatal("DropBytes after DecodeHeld did not give the share back")
	}

	// A document dropped without either: the collector gives its share back.
	d = Read(Input{Path: large}, nil)
	if budgetFree() {
		t.Fatal("a large file read whole took no share of the budget")
	}
	d = nil
	for start := time.Now(); !budgetFree(); runtime.GC() {
		if time.Since(start) > 30*time.Second { // a bound for the test, not a speed assertion
			t.Fatal("the share of a document nobody holds was never given back")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// take never takes more than the whole budget: a file larger than it is read alone.
func TestTakeCapped(t *testing.T) {
	release := take(4 * BytesInFlight)
	if inFlight.TryAcquire(1) {
		t.Fatal("a file larger than the budget left some of it")
	}
	release()
	if !budgetFree() {
		t.Fatal("the budget was not given back whole")
	}
}
