package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// testRestart fills a store, closes it, opens it again and finds it all.
func testRestart(e *env) {
	s := e.open()
	f := fillBeforeRestart(e, s)
	e.must(s.Close(), "Close")

	s = e.open()
	checkDocumentsAfterRestart(e, s, f)
	checkOutboxAfterRestart(e, s, f)

	// IDs are never reused.
	if r := e.enqueue(s, "new", "slack", "C1", Epoch); r.ID <= f.inflight.ID+1 {
		e.t.Errorf("row ID %d after a restart, want more than %d", r.ID, f.inflight.ID+1)
	}
	if st2 := e.story(s, "assault", "AF.11", at(time.Hour), at(time.Hour)); st2.ID <= f.story.ID {
		e.t.Errorf("story ID %d after a restart, want more than %d", st2.ID, f.story.ID)
	}
}

// restartFill is what testRestart stored before closing the store.
type restartFill struct {
	docs     []corpus.Document
	analysis corpus.Analysis
	mod      time.Time
	story    store.Story
	inflight store.OutboxRow
}

// fillBeforeRestart stores something of every kind.
func fillBeforeRestart(e *env, s store.Store) restartFill {
	h := time.Hour
	f := restartFill{docs: e.seeds(), mod: time.Date(2021, 7, 8, 9, 0, 0, 1, time.UTC)}
	docs := f.docs
	f.analysis = corpus.Analysis{
		Regions: []corpus.DocRegion{mention(qalaINaw, "Qala-i-Naw", 120), mention(badghis, "Badghis", 160)},
		Matches: []corpus.DocMatch{{Rule: "assault", Keywords: []string{"assault"}, Regions: []string{"badghis"},
			GroupKey: "AF.02", GroupName: "Badghis, Afghanistan"}},
	}
	for i, d := range docs {
		e.clock.Set(at(time.Duration(i) * time.Minute))
		e.put(s, d)
		e.must(s.SetAnalysis(e.ctx, d.ID, f.analysis), "SetAnalysis")
		e.must(s.Write(e.ctx, func(tx store.Tx) error { return tx.SetSketch(e.ctx, d.ID, []byte{byte(i), 100}) }), "SetSketch")
	}
	dup := docs[0]
	dup.Path = "mirror/000.txt"
	e.put(s, dup)
	e.must(s.MarkProcessed(e.ctx, docs[0].ID), "MarkProcessed")
	e.must(s.SetCopyOf(e.ctx, docs[1].ID, docs[0].ID), "SetCopyOf")
	f.story = e.story(s, "assault", "AF.02", at(10*h), at(12*h))
	e.must(s.AddToStory(e.ctx, f.story.ID, store.StoryMember{DocID: docs[3].ID, Published: at(9 * h)}), "AddToStory")
	sent := e.enqueue(s, "sent", "slack", "C1", Epoch)
	e.claim(s, sent.ID, Epoch, true)
	e.must(s.MarkSent(e.ctx, sent.ID, "1625731200.000100", at(h)), "MarkSent")
	inflight := e.enqueue(s, "inflight", "slack", "C2", Epoch)
	e.claim(s, inflight.ID, Epoch, true)
	e.enqueue(s, "waiting", "telegram", "-100", at(h))
	e.must(s.SetState(e.ctx, "telegram.offset", "42"), "SetState")
	e.must(s.Subscribe(e.ctx, store.Subscription{Digest: "daily", Transport: "slack", Channel: "C1", At: "08:00",
		Timezone: "Asia/Kabul"}), "Subscribe")
	_, err := s.Mute(e.ctx, store.Mute{Transport: "slack", Channel: "C1", Target: "herat", Until: at(48 * h)})
	e.must(err, "Mute")
	e.must(s.SetFileState(e.ctx, store.FileState{Path: "corpus/000.txt", Size: 2195, ModTime: f.mod,
		DocID: docs[0].ID}), "SetFileState")
	f.inflight = e.row(s, "inflight")
	return f
}

// checkDocumentsAfterRestart finds the documents, their analyses, copies
// and story, and the file state.
func checkDocumentsAfterRestart(e *env, s store.Store, f restartFill) {
	h, docs := time.Hour, f.docs
	got, err := s.Document(e.ctx, docs[0].ID)
	e.must(err, "Document")
	e.equal("Document", got, stored(docs[0], docs[0].Path, "mirror/000.txt"))
	pending, err := s.Pending(e.ctx, 10)
	e.must(err, "Pending")
	wantPending := slices.Clone(docs[1:])
	slices.SortFunc(wantPending, func(a, b corpus.Document) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	e.equal("Pending, by publication", docIDs(pending), docIDs(wantPending))
	a, err := s.Analysis(e.ctx, docs[2].ID)
	e.must(err, "Analysis")
	e.equal("Analysis", a, f.analysis)
	hits, err := s.Latest(e.ctx, store.RegionFilter{Admin1: []string{"AF.02"}}, 10)
	e.must(err, "Latest")
	e.equal("Latest count", len(hits), 5)
	hits, err = s.Search(e.ctx, "commandos Badghis", 10)
	e.must(err, "Search")
	if len(hits) == 0 {
		e.t.Errorf("Search finds nothing after a restart")
	}
	var sketches []string
	e.must(s.RecentSketches(e.ctx, 2, func(id string, _ time.Time, sk []byte) error {
		sketches = append(sketches, fmt.Sprintf("%s:%v", id, sk))
		return nil
	}), "RecentSketches")
	e.equal("RecentSketches", sketches, []string{fmt.Sprintf("%s:[3 100]", docs[3].ID), fmt.Sprintf("%s:[4 100]", docs[4].ID)})
	orig, err := s.CopyOf(e.ctx, docs[1].ID)
	e.must(err, "CopyOf")
	e.equal("CopyOf", orig, docs[0].ID)
	gotStory, err := s.FindStory(e.ctx, "assault", "AF.02", at(11*h), h)
	e.must(err, "FindStory")
	e.equal("Story", [3]any{gotStory.ID, gotStory.First, gotStory.Last}, [3]any{f.story.ID, at(9 * h), at(12 * h)})
	fs, err := s.FileState(e.ctx, "corpus/000.txt")
	e.must(err, "FileState")
	e.equal("FileState", fs.ModTime, f.mod)
}

// checkOutboxAfterRestart finds the outbox rows, the state, the
// subscription and the mute.
func checkOutboxAfterRestart(e *env, s store.Store, f restartFill) {
	h := time.Hour
	e.equal("sent row", e.row(s, "sent").RemoteID, "1625731200.000100")
	e.equal("row in flight", e.row(s, "inflight"), f.inflight)
	n, err := s.ResetInflight(e.ctx)
	e.must(err, "ResetInflight")
	e.equal("ResetInflight of the closed handle's row", n, 1)
	e.equal("heads", e.heads(s, at(h), 10), []string{"inflight", "waiting"})
	v, err := s.GetState(e.ctx, "telegram.offset")
	e.must(err, "GetState")
	e.equal("GetState", v, "42")
	subs, err := s.Subscriptions(e.ctx)
	e.must(err, "Subscriptions")
	e.equal("Subscriptions", len(subs), 1)
	mutes, err := s.Mutes(e.ctx, at(h))
	e.must(err, "Mutes")
	e.equal("Mutes", len(mutes), 1)
}

// testReplicas runs two handles on one store at once, as two processes
// sharing it would.
func testReplicas(e *env) {
	s1, s2 := e.open(), e.open()
	e.put(s1, doc("d1", "Taliban storm Qala-i-Naw", "Fighting in Badghis.", Epoch))
	hits, err := s2.Search(e.ctx, "badghis", 10)
	e.must(err, "Search")
	e.equal("Search on the other handle", ids(hits), []string{"d1"})

	// Both decide to send the same messages: each is enqueued once.
	var inserted [20]atomic.Int32
	var wg sync.WaitGroup
	for _, s := range []store.Store{s1, s2, s1, s2} {
		wg.Go(func() {
			for i := range inserted {
				ok, err := s.Enqueue(e.ctx, store.OutboxRow{Key: fmt.Sprintf("k%d", i), Transport: "slack",
					Channel: fmt.Sprintf("C%d", i)})
				if err != nil {
					e.t.Errorf("Enqueue: %v", err)
					return
				}
				if ok {
					inserted[i].Add(1)
				}
			}
		})
	}
	wg.Wait()
	for i := range inserted {
		if n := inserted[i].Load(); n != 1 {
			e.t.Errorf("k%d inserted %d times, want once", i, n)
		}
	}

	// Both deliver: each row is claimed once.
	rows, err := s1.OutboxHeads(e.ctx, Epoch, 100)
	e.must(err, "OutboxHeads")
	e.equal("heads", len(rows), len(inserted))
	var rowIDs []int64
	for _, r := range rows {
		rowIDs = append(rowIDs, r.ID)
	}
	e.claimAll([]store.Store{s1, s2, s1, s2}, rowIDs)
	for _, id := range rowIDs {
		e.must(s2.MarkSent(e.ctx, id, "x", Epoch), "MarkSent")
	}

	// ResetInflight leaves alone the rows a live replica is sending, and
	// returns those of a replica that is gone.
	x := e.enqueue(s1, "x", "slack", "CX", Epoch)
	y := e.enqueue(s1, "y", "slack", "CY", Epoch)
	e.claim(s1, x.ID, Epoch, true)
	e.claim(s2, y.ID, Epoch, true)
	n, err := s2.ResetInflight(e.ctx)
	e.must(err, "ResetInflight")
	e.equal("ResetInflight with the other replica alive", n, 1)
	e.equal("row of the live replica", e.row(s2, "x").State, store.Sending)
	e.equal("own row", e.row(s2, "y").State, store.Pending)
	e.must(s1.Close(), "Close")
	n, err = s2.ResetInflight(e.ctx)
	e.must(err, "ResetInflight")
	e.equal("ResetInflight after the other replica closed", n, 1)
	e.equal("row of the closed replica", e.row(s2, "x").State, store.Pending)
}

func testLease(e *env) {
	s1 := e.open()
	l1, ok := s1.(store.Leaser)
	if !ok {
		e.t.Skip("the store does not implement store.Leaser")
	}
	l2 := e.open().(store.Leaser)
	try := func(l store.Leaser, name string, want bool) func() {
		e.t.Helper()
		release, ok, err := l.TryLease(e.ctx, name)
		e.must(err, "TryLease")
		if ok != want {
			e.t.Errorf("TryLease(%s) = %v, want %v", name, ok, want)
		}
		if release == nil {
			e.t.Fatalf("TryLease(%s) returned a nil release", name)
		}
		return release
	}
	holds := func(l store.Leaser, name string, want bool) {
		e.t.Helper()
		c, ok := l.(store.LeaseChecker)
		if !ok {
			return
		}
		held, err := c.HoldsLease(e.ctx, name)
		e.must(err, "HoldsLease")
		if held != want {
			e.t.Errorf("HoldsLease(%s) = %v, want %v", name, held, want)
		}
	}
	release := try(l1, "schedule", true)
	holds(l1, "schedule", true)
	holds(l2, "schedule", false)
	try(l2, "schedule", false)()
	try(l1, "schedule", false) // a lease is not taken twice, even by its holder
	try(l2, "telegram", true)
	release()
	holds(l1, "schedule", false)
	try(l2, "schedule", true)
	release() // a second release gives back nothing
	try(l1, "schedule", false)
	e.must(l2.(store.Store).Close(), "Close")
	try(l1, "schedule", true)
	try(l1, "telegram", true)
}
