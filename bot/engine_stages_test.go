package bot

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// failingList is the real store, but its listing of pending documents
// fails at call failAt (counting from 1) while failAt is set.
type failingList struct {
	store.Store
	calls, failAt int
}

var errListing = errors.New("injected listing failure")

func (f *failingList) PendingAfter(ctx context.Context, pub time.Time, id string, n int) ([]corpus.Document, error) {
	f.calls++
	if f.failAt > 0 && f.calls == f.failAt {
		return nil, errListing
	}
	return f.Store.PendingAfter(ctx, pub, id, n)
}

// A listing that fails after the first page: the page before it is
// processed, the error says what failed, and the documents not listed stay
// pending for the next pass.
func TestProcessPendingListingFailsMidway(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	for i, n := range []string{"001", "002", "003"} {
		f.putSeed(n, day(7+i))
	}
	fl := &failingList{Store: f.store, failAt: 2}
	f.engine.Store, f.engine.Batch = fl, 1
	outs, err := processAll(ctx, f.engine)
	if !errors.Is(err, errListing) {
		t.Fatalf("err %v, want the listing's failure", err)
	}
	if len(outs) != 1 || outs[0].Doc.ID != f.ids["001"] {
		t.Fatalf("processed %d documents before the failure, want the first page's one (001)", len(outs))
	}
	fl.failAt = 0
	outs, err = processAll(ctx, f.engine)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 || outs[0].Doc.ID != f.ids["002"] || outs[1].Doc.ID != f.ids["003"] {
		t.Fatalf("the next pass processed %d documents, want 002 and 003 in order", len(outs))
	}
}

// A pass whose context ends while pages are on their way ends with the
// context's error, and the pages not written stay pending.
func TestProcessPendingStopsWhenCancelled(t *testing.T) {
	f := newEngineFixture(t)
	for i, n := range []string{"001", "002", "003", "004"} {
		f.putSeed(n, day(7+i))
	}
	f.engine.Batch = 1
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n, err := f.engine.ProcessPending(ctx, func(Outcome) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if n != 1 {
		t.Fatalf("%d documents processed, want 1 (the pass stops after the page whose outcome cancelled it)", n)
	}
	outs, err := processAll(context.Background(), f.engine)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 3 {
		t.Fatalf("the next pass processed %d documents, want the 3 left pending", len(outs))
	}
}
