package postgres

import (
	"testing"

	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

func BenchmarkStore(b *testing.B) {
	base := baseURL(b)
	storetest.RunBenchmarks(b, func(b *testing.B) store.Store {
		db, err := Open(b.Context(), newSchema(b, base))
		if err != nil {
			b.Fatalf("Open: %v", err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}
