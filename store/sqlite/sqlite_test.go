package sqlite_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/sqlite"
	"github.com/wirewatch/wirewatch/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, openTest)
}

// files holds the database file of each test, so that a second open in a
// test opens the same store.
var files sync.Map

// openTest opens the store of test t, in a file of its own.
func openTest(t *testing.T) store.Store {
	t.Helper()
	path, ok := files.Load(t)
	if !ok {
		path = filepath.Join(t.TempDir(), "wirewatch.db")
		files.Store(t, path)
		t.Cleanup(func() { files.Delete(t) })
	}
	db, err := sqlite.Open(t.Context(), path.(string))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	db.Now = storetest.Clock(t)
	return db
}
