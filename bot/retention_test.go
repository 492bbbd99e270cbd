package bot

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// TestPrunerDeletesOldDocumentsAndForgetsThem: a document older than the
// retention window whose story is closed and delivered goes, with its
// story, its delivered rows and the story's named values, and leaves the
// copy index: a later copy of it is checked without error and is no copy
// of a document that is gone. A story still open keeps its documents.
func TestPrunerDeletesOldDocumentsAndForgetsThem(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	old := f.putSeed("000", day(1)) // the clock is at day 8
	mustProcess(t, f)
	for _, r := range f.rows() {
		if ok, err := f.store.ClaimOutbox(ctx, r.ID, f.clock.Now()); err != nil || !ok {
			t.Fatalf("ClaimOutbox: %v, %v", ok, err)
		}
		if err := f.store.MarkSent(ctx, r.ID, "1.1", f.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Advance(30 * 24 * time.Hour)
	m := NewMetrics()
	p := &Pruner{Store: f.store, Window: 7 * 24 * time.Hour, Copies: func() *Copies { return f.engine.Copies },
		Clock: f.clock, Log: slog.New(slog.DiscardHandler), Metrics: m}
	got, err := p.Prune(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Documents != 1 || len(got.Stories) != 1 || got.Rows != 2 {
		t.Errorf("pruned %+v, want the document, its story and its two delivered alerts", got)
	}
	if _, err := f.store.Document(ctx, old.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("pruned document: %v, want ErrNotFound", err)
	}
	if n, err := f.store.DeleteStates(ctx, "carrier/"); err != nil || n != 0 {
		t.Errorf("%d carrier states left (%v), want none", n, err)
	}
	if v := metric(m, `wirewatch_pruned_total{what="documents"}`); v != 1 {
		t.Errorf("wirewatch_pruned_total documents = %v, want 1", v)
	}

	// A copy of the pruned document, in a new story that stays open.
	again := corpus.Document{Source: "again", Title: "seed again", TitleDerived: true, Body: old.Body + "\n\nUpdated.", Published: f.clock.Now().Add(-time.Hour)}
	again.ID = corpus.ContentID(again.Text())
	if _, err := f.store.PutDocument(ctx, again); err != nil {
		t.Fatal(err)
	}
	outs, err := processAll(ctx, f.engine)
	if err != nil {
		t.Fatalf("processing a copy of a pruned document: %v", err)
	}
	if len(outs) != 1 || outs[0].CopyOf != "" {
		t.Errorf("outcomes %+v, want one, no copy", outs)
	}
	if got, err := p.Prune(ctx); err != nil || got.Documents != 0 {
		t.Errorf("second prune: %+v, %v; want nothing (the new story is open)", got, err)
	}
}
