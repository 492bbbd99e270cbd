package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// TestPruneShrinksTheFile: a new file uses incremental auto-vacuum, so the
// pages that pruned documents held go back to the file system: the file
// has fewer pages and no free ones afterwards. The foreign-key check Prune
// turns off while it runs is on again.
func TestPruneShrinksTheFile(t *testing.T) {
	ctx := context.Background()
	db := openInternal(t)
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var docs []corpus.Document
	for i := range 400 {
		body := strings.Repeat(fmt.Sprintf("word%d filler text of article %d ", i, i), 100)
		docs = append(docs, corpus.Document{ID: fmt.Sprintf("doc%03d", i), Source: "t", Title: fmt.Sprintf("title %d", i),
			Body: body, Published: old.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := db.PutDocuments(ctx, docs, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx store.Tx) error {
		for _, d := range docs {
			if err := tx.MarkProcessed(ctx, d.ID); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	pages := func() (n, free int) {
		t.Helper()
		if err := db.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := db.write.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free); err != nil {
			t.Fatal(err)
		}
		return n, free
	}
	before, _ := pages()
	got, err := db.Prune(ctx, old.Add(24*time.Hour), 64, nil)
	if err != nil || got.Documents != len(docs) {
		t.Fatalf("Prune: %+v, %v; want %d documents", got, err, len(docs))
	}
	var fk int
	if err := db.write.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys after Prune = %d, %v; want 1 (back on)", fk, err)
	}
	after, free := pages()
	if after > before/2 || free != 0 {
		t.Errorf("%d pages before pruning, %d after with %d free; want at most half, none free", before, after, free)
	}
}
