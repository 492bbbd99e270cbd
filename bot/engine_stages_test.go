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

// TestCancelledPassLeavesNoCopyOfItsCopy checks that documents checked for
// copies in a pass that ended before writing them leave the copy index: a
// pass cancelled after its first page, with an original and its copy
// checked ahead, must not make the original a copy of its copy when the
// next pass checks it again.
func TestCancelledPassLeavesNoCopyOfItsCopy(t *testing.T) {
	for run := range 10 {
		f := newEngineFixture(t)
		f.putSeed("002", day(6))
		f.putSeed("000", day(7))
		f.putSeed("001", day(8))
		f.engine.Batch = 1
		ctx, cancel := context.WithCancel(context.Background())
		f.engine.ProcessPending(ctx, func(Outcome) { cancel() })
		cancel()
		outs, err := processAll(context.Background(), f.engine)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			if o.Doc.ID == f.ids["000"] && o.CopyOf != "" {
				t.Fatalf("run %d: the original 000 was marked a copy of %s (001 is %s)", run, o.CopyOf, f.ids["001"])
			}
		}
		cp, err := f.store.CopyOf(context.Background(), f.ids["001"])
		if err != nil || cp != f.ids["000"] {
			t.Fatalf("run %d: 001 a copy of %q (%v), want 000 (%s)", run, cp, err, f.ids["000"])
		}
	}
}

// TestFarFutureDateKeepsTheCopyIndex checks that one document dated years
// ahead (a document that did not come through the corpus, which clamps
// such dates) does not age every other document out of the copy index:
// a copy processed in a later pass still finds its original.
func TestFarFutureDateKeepsTheCopyIndex(t *testing.T) {
	f := newEngineFixture(t)
	f.clock.Advance(day(9).Sub(f.clock.Now()))
	f.putSeed("000", day(7))
	f.putSeed("002", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := processAll(context.Background(), f.engine); err != nil {
		t.Fatal(err)
	}
	f.putSeed("001", day(8))
	outs, err := processAll(context.Background(), f.engine)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].CopyOf != f.ids["000"] {
		t.Fatalf("the copy after a document dated 2099: %+v, want a copy of 000 (%s)", outs, f.ids["000"])
	}
	if got := copyTime(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), day(9)); !got.Equal(day(9)) {
		t.Errorf("copyTime of 2099 checked on 9 July 2021: %v", got)
	}
	if got := copyTime(day(9).Add(12*time.Hour), day(9)); !got.Equal(day(9).Add(12 * time.Hour)) {
		t.Errorf("copyTime of a date within a day ahead: %v, want it kept", got)
	}
}
