package storetest

import (
	"fmt"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// pruneFixture is what testPrune puts in the store before pruning.
type pruneFixture struct {
	docs            map[string]time.Duration
	closed, waiting store.Story
	open            int64
	sent, digest    store.OutboxRow
}

func testPrune(e *env) {
	s := e.open()
	f := pruneSetup(e, s)
	h := time.Hour
	e.clock.Set(at(30 * h))
	var deleted []string
	got, err := s.Prune(e.ctx, at(10*h), 2, func(ids []string) {
		if len(ids) > 2 {
			e.t.Errorf("a batch of %d documents deleted, want at most 2", len(ids))
		}
		deleted = append(deleted, ids...)
	})
	e.must(err, "Prune")
	e.equal("pruned", got, store.Pruned{Documents: 3, Stories: []int64{f.closed.ID}, Rows: 2})
	slices.Sort(deleted)
	e.equal("documents reported deleted", deleted, []string{"old1", "old2", "old6"})
	pruneCheck(e, s, f)

	// Nothing more to prune: a second pass deletes nothing.
	got, err = s.Prune(e.ctx, at(10*h), 2, nil)
	e.must(err, "Prune again")
	e.equal("pruned again", got, store.Pruned{})
	// The store takes new documents afterwards.
	e.put(s, doc("new2", "zebra new2", "body", at(40*h)))
}

func pruneSetup(e *env, s store.Store) pruneFixture {
	h := time.Hour
	a := corpus.Analysis{Regions: []corpus.DocRegion{mention(badghis, "Badghis", 10)}}
	f := pruneFixture{docs: map[string]time.Duration{"old1": 1 * h, "old2": 2 * h, "old3": 3 * h, "old4": 4 * h,
		"old5": 5 * h, "old6": 6 * h, "new1": 20 * h}}
	for id, pub := range f.docs {
		e.put(s, doc(id, "zebra "+id, "Taliban fighters in Badghis", at(pub)))
		if id == "old5" {
			continue // never processed
		}
		e.must(s.Write(e.ctx, func(tx store.Tx) error {
			if err := tx.SetAnalysis(e.ctx, id, a); err != nil {
				return err
			}
			if err := tx.SetSketch(e.ctx, id, []byte(id)); err != nil {
				return err
			}
			return tx.MarkProcessed(e.ctx, id)
		}), "processing "+id)
	}
	e.must(s.SetCopyOf(e.ctx, "old2", "old1"), "SetCopyOf")
	placeIn := func(doc, key string) store.Story {
		p, err := s.Place(e.ctx, store.Placement{Rule: "r", Key: key, DocID: doc, Published: at(f.docs[doc]), Window: 2 * h})
		e.must(err, "Place")
		return p.Story
	}
	e.clock.Set(at(h))
	f.closed = placeIn("old1", "closed")
	placeIn("old2", "closed")
	f.sent = e.enqueue(s, fmt.Sprintf("alert/%d/slack/C1", f.closed.ID), "slack", "C1", at(h))
	e.claim(s, f.sent.ID, at(h), true)
	e.must(s.MarkSent(e.ctx, f.sent.ID, "1.1", at(h)), "MarkSent")
	f.digest = e.enqueue(s, "digest/daily/1", "slack", "C1", at(h))
	e.claim(s, f.digest.ID, at(h), true)
	e.must(s.MarkSent(e.ctx, f.digest.ID, "1.2", at(h)), "MarkSent")
	f.waiting = placeIn("old3", "waiting")
	_, err := s.Enqueue(e.ctx, store.OutboxRow{Key: fmt.Sprintf("alert/%d/slack/C1", f.waiting.ID), Transport: "slack",
		Channel: "C1", StoryID: f.waiting.ID})
	e.must(err, "Enqueue")
	placeIn("old4", "open")
	p, err := s.Place(e.ctx, store.Placement{Rule: "r", Key: "open", DocID: "new1", Published: at(20 * h), Window: 24 * h})
	e.must(err, "Place")
	f.open = p.Story.ID
	e.must(s.SetState(e.ctx, fmt.Sprintf("carrier/%d/slack/C1/old1", f.closed.ID), "k"), "SetState")
	e.must(s.SetState(e.ctx, fmt.Sprintf("carrier/%d/slack/C1/old4", f.open), "k"), "SetState")
	return f
}

// pruneCheck checks what the first Prune of testPrune kept and deleted.
func pruneCheck(e *env, s store.Store, f pruneFixture) {
	for id := range f.docs {
		_, err := s.Document(e.ctx, id)
		gone := id == "old1" || id == "old2" || id == "old6"
		if gone {
			e.notFound(err, "Document "+id)
		} else {
			e.must(err, "Document "+id+" kept")
		}
	}
	hits, err := s.Search(e.ctx, "zebra", 20)
	e.must(err, "Search")
	e.equal("search after pruning", len(hits), 4)
	hits, err = s.Latest(e.ctx, store.RegionFilter{Admin1: []string{"AF.02"}}, 20)
	e.must(err, "Latest")
	e.equal("latest after pruning", len(hits), 3) // old5 has no analysis
	var sketches []string
	e.must(s.RecentSketches(e.ctx, 10, func(id string, _ time.Time, _ []byte) error {
		sketches = append(sketches, id)
		return nil
	}), "RecentSketches")
	e.equal("sketches after pruning", len(sketches), 3)
	_, err = s.Story(e.ctx, f.closed.ID)
	e.notFound(err, "Story of pruned documents")
	_, err = s.OutboxRow(e.ctx, f.sent.Key)
	e.notFound(err, "sent row of a pruned story")
	_, err = s.OutboxRow(e.ctx, f.digest.Key)
	e.notFound(err, "sent digest before the cutoff")
	if _, err := s.Story(e.ctx, f.waiting.ID); err != nil {
		e.t.Errorf("a story with a row still to deliver is kept: %v", err)
	}
	orig, err := s.CopyOf(e.ctx, "old2")
	e.must(err, "CopyOf")
	e.equal("copy record of a pruned copy", orig, "")

	n, err := s.DeleteStates(e.ctx, fmt.Sprintf("carrier/%d/", f.closed.ID))
	e.must(err, "DeleteStates")
	e.equal("DeleteStates", n, 1)
	_, err = s.GetState(e.ctx, fmt.Sprintf("carrier/%d/slack/C1/old4", f.open))
	e.must(err, "state of another story kept")
}
