package backend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/store/sqlite"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"./data/wirewatch.db":                               "./data/wirewatch.db",
		"postgres://u:s3cret@db:5432/x?sslmode=require":     "postgres://u:xxxxx@db:5432/x?sslmode=require",
		"postgres://u@db/x?password=s3cret&sslmode=disable": "postgres://u@db/x?password=xxxxx&sslmode=disable",
		"postgres://u:50%off#x@db/x":                        "postgres://[redacted]",
	} {
		if got := Redact(in); got != want || strings.Contains(got, "s3cret") || strings.Contains(got, "50%off") {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTempDSNOpensAThrowawayFile: the store of a dry run is a SQLite file
// in a folder of its own, opened without syncing (sqlite.OpenThrowaway),
// that works as a store and goes with remove.
func TestTempDSNOpensAThrowawayFile(t *testing.T) {
	dsn, remove, err := TempDSN()
	if err != nil {
		t.Fatal(err)
	}
	st, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open(%q): %v", dsn, err)
	}
	db, ok := st.(*sqlite.DB)
	if !ok {
		t.Fatalf("Open(%q) = %T, want a SQLite store", dsn, st)
	}
	if err := db.SetState(t.Context(), "k", "v"); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	if v, err := db.GetState(t.Context(), "k"); err != nil || v != "v" {
		t.Errorf("GetState = %q, %v", v, err)
	}
	path := db.Path()
	if strings.Contains(path, "throwaway") || filepath.Base(path) != "dry-run.db" {
		t.Errorf("file %s, want dry-run.db in a folder of its own", path)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("file: %v", err)
	}
	db.Close()
	remove()
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("folder %s after remove: %v", filepath.Dir(path), err)
	}
}
