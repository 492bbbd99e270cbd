package profiling

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestStartWritesBothProfilesAndTheTrace(t *testing.T) {
	dir := t.TempDir()
	cpu, heap, tr := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "heap.pprof"), filepath.Join(dir, "trace.out")
	stop := Start(cpu, heap, tr)
	sink := 0
	for i := range 1 << 20 {
		sink += i * i
	}
	_ = sink
	stop()
	for _, name := range []string{cpu, heap} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		// pprof profiles are gzipped protocol buffers.
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("%s: not a gzipped profile (%d bytes)", name, len(b))
		}
	}
	b, err := os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("go 1.")) { // an execution trace's header
		t.Errorf("%s: not an execution trace (%d bytes: %.20q)", tr, len(b), b)
	}
}

func TestStartWithoutNamesWritesNothing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	Start("", "", "")()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("wrote %d files", len(entries))
	}
}

func TestUnwritableProfileIsSkipped(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "cpu.pprof")
	Start(missing, "", "")() // must not panic or exit
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("stat %s: %v, want it absent", missing, err)
	}
}
