package manifest

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

func TestStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := Entry{Key: "/a.txt", Source: "a.txt", Hash: "ab", Status: "ok", DocID: "d", Part: "r-00000",
		Rows: [NumTables]Span{{0, 1}, {0, 3}, {0, 0}, {0, 2}}}
	p := Part{ID: "r-00000", Run: "r", Rows: [NumTables]int64{1, 3, 0, 2}, Keys: []string{"/a.txt"}}
	pending := &Pending{Run: "r", Snapshot: "r", Staging: "_staging-r", Success: []byte("{}\n"), Record: []byte(`{"run_id":"r"}`)}
	err = s.Update(func(tx *Tx) error {
		if err := tx.PutInput(e); err != nil {
			return err
		}
		if err := tx.PutPart(p); err != nil {
			return err
		}
		if err := tx.SetSnapshot("r"); err != nil {
			return err
		}
		if err := tx.PutRun("r", pending.Record); err != nil {
			return err
		}
		return tx.SetPending(pending)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Everything is there after reopening.
	s, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *Tx) error {
		got, ok, err := tx.Input("/a.txt")
		if err != nil || !ok || !reflect.DeepEqual(got, e) {
			t.Errorf("Input = %+v, %v, %v", got, ok, err)
		}
		if _, ok, _ := tx.Input("/b.txt"); ok {
			t.Error("an unknown input is found")
		}
		parts, err := tx.Parts()
		if err != nil || len(parts) != 1 || !reflect.DeepEqual(parts[0], p) {
			t.Errorf("Parts = %+v, %v", parts, err)
		}
		got2, err := tx.Pending()
		if err != nil || !reflect.DeepEqual(got2, pending) {
			t.Errorf("Pending = %+v, %v", got2, err)
		}
		if tx.Snapshot() != "r" || string(tx.Run("r")) != `{"run_id":"r"}` || tx.Run("x") != nil {
			t.Errorf("snapshot %q, run %q", tx.Snapshot(), tx.Run("r"))
		}
		n := 0
		tx.Inputs(func(Entry) error { n++; return nil })
		if n != 1 {
			t.Errorf("Inputs saw %d entries", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Tx) error { return tx.SetPending(nil) }); err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		if p, err := tx.Pending(); p != nil || err != nil {
			t.Errorf("Pending after clearing = %+v, %v", p, err)
		}
		return nil
	})
}

// A manifest of another layout is refused, not misread.
func TestStoreLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		b, _ := tx.CreateBucketIfNotExists(bucketMeta)
		return b.Put(keyLayout, []byte("99"))
	})
	db.Close()
	if _, err := Open(path, nil); err == nil || !strings.Contains(err.Error(), `layout "99"`) {
		t.Errorf("Open of layout 99: %v", err)
	}
}

// A second opener waits for the first to close, and says so.
func TestStoreWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan bool, 1)
	done := make(chan error)
	go func() {
		s2, err := Open(path, func() { waited <- true })
		if err == nil {
			s2.Close()
		}
		done <- err
	}()
	<-waited
	s.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// An entry and a part read back hold the paths written, byte for byte, UTF-8 or not (a GBK
// name); a path that is UTF-8 is written as it is, so manifests of earlier versions read the same.
func TestKeysRoundTrip(t *testing.T) {
	for _, path := range []string{"/a/人民日报.txt", "-", "/a/\xC8\xCB\xC3\xF1.txt", "\xff", ""} {
		e := Entry{Key: path, Source: path, Status: "failed", Error: path + ": empty file"}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if utf8.ValidString(path) != strings.Contains(string(b), `"key":`+strconv.Quote(path)) {
			t.Errorf("%q written as %s", path, b)
		}
		var back Entry
		if err := json.Unmarshal(b, &back); err != nil || back != e {
			t.Errorf("%q: read back %+v, %v", path, back, err)
		}
		p := Part{ID: "p", Keys: []string{path, "/b.txt"}}
		if b, err = json.Marshal(p); err != nil {
			t.Fatal(err)
		}
		var pb Part
		if err := json.Unmarshal(b, &pb); err != nil || !slices.Equal(pb.Keys, p.Keys) {
			t.Errorf("%q: part read back %+v, %v", path, pb, err)
		}
	}
}
