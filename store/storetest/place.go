package storetest

import (
	"fmt"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

func testPlace(e *env) {
	s := e.open()
	h := time.Hour
	e.clock.Set(at(100 * h))
	place := func(doc, key, copyOf string, pub time.Duration) store.Placed {
		e.t.Helper()
		p, err := s.Place(e.ctx, store.Placement{Rule: "assault", Key: key, KeyName: key + " name", DocID: doc,
			Published: at(pub), CopyOf: copyOf, Window: 48 * h})
		e.must(err, "Place "+doc)
		return p
	}
	type view struct {
		Story       int64
		How         store.PlacedHow
		First, Last time.Time
		Lead        string
	}
	show := func(p store.Placed) view {
		return view{p.Story.ID, p.How, p.Story.First, p.Story.Last, p.Story.Lead}
	}
	a := place("a", "AF.02", "", 10*h)
	e.equal("the first report opens a story it leads", show(a), view{a.Story.ID, store.Opened, at(10 * h), at(10 * h), "a"})
	e.equal("created at the store's clock", a.Story.CreatedAt, at(100*h))
	e.equal("key name", a.Story.KeyName, "AF.02 name")
	b := place("b", "AF.02", "", 30*h)
	e.equal("a later report joins it", show(b), view{a.Story.ID, store.Joined, at(10 * h), at(30 * h), "a"})
	c := place("c", "AF.02", "", 5*h)
	e.equal("an earlier one too, within the window", show(c), view{a.Story.ID, store.Joined, at(5 * h), at(30 * h), "a"})
	d := place("d", "AF.02", "", 100*h)
	e.equal("past the window, a new story", show(d), view{d.Story.ID, store.Opened, at(100 * h), at(100 * h), "d"})
	other := place("x", "AF.11", "", 30*h)
	e.equal("another key, another story", other.How, store.Opened)
	cp := place("b2", "AF.11", "b", 200*h)
	e.equal("a copy joins its original's story whatever its key and time", show(cp),
		view{a.Story.ID, store.Copy, at(5 * h), at(200 * h), "a"})
	orphan := place("z2", "AF.02", "z", 31*h)
	e.equal("a copy of a document in no story is placed as a report", show(orphan),
		view{a.Story.ID, store.Joined, at(5 * h), at(200 * h), "a"})
	again := place("b", "AF.02", "", 30*h)
	e.equal("placing a member again", show(again), view{a.Story.ID, store.Member, at(5 * h), at(200 * h), "a"})
	again = place("b2", "AF.11", "b", 200*h)
	e.equal("placing a copy again", again.How, store.Copy)

	members, err := s.StoryMembers(e.ctx, a.Story.ID)
	e.must(err, "StoryMembers")
	var got []string
	for _, m := range members {
		got = append(got, m.DocID+"<"+m.CopyOf)
	}
	e.equal("members", got, []string{"c<", "a<", "b<", "z2<", "b2<b"})
	st, err := s.Story(e.ctx, a.Story.ID)
	e.must(err, "Story")
	e.equal("stored story", view{st.ID, store.Copy, st.First, st.Last, st.Lead}, view{a.Story.ID, store.Copy, at(5 * h), at(200 * h), "a"})

	// Another rule places the same documents in stories of its own.
	p, err := s.Place(e.ctx, store.Placement{Rule: "quake", Key: "AF.02", DocID: "b", Published: at(30 * h), Window: h})
	e.must(err, "Place under another rule")
	e.equal("another rule", p.How, store.Opened)
	stories, err := s.StoriesOf(e.ctx, "b")
	e.must(err, "StoriesOf")
	e.equal("stories of b", len(stories), 2)
}

// testPlaceConcurrent places documents from several handles at once, as
// processes sharing the store would: one document placed by all of them
// opens one story, and reports of one rule and key placed at once open one
// story between them.
func testPlaceConcurrent(e *env) {
	const workers = 6
	handles := make([]store.Store, workers)
	for i := range handles {
		handles[i] = e.open()
	}
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make([]error, workers)
		placed := make([]store.Placed, workers)
		for i, s := range handles {
			wg.Go(func() {
				doc := fmt.Sprintf("same-%d", round)
				if round > 0 {
					doc = fmt.Sprintf("r%d-w%d", round, i) // different documents, one story
				}
				placed[i], errs[i] = s.Place(e.ctx, store.Placement{Rule: "assault", Key: fmt.Sprintf("K%d", round),
					DocID: doc, Published: at(time.Duration(i) * time.Minute), Window: time.Hour})
			})
		}
		wg.Wait()
		opened, ids := 0, map[int64]bool{}
		for i := range handles {
			e.must(errs[i], "Place")
			ids[placed[i].Story.ID] = true
			if placed[i].How == store.Opened {
				opened++
			}
		}
		if len(ids) != 1 || opened != 1 {
			e.t.Errorf("round %d: %d placements made %d stories, %d of them opened; want 1 and 1", round, workers, len(ids), opened)
		}
		members, err := handles[0].StoryMembers(e.ctx, placed[0].Story.ID)
		e.must(err, "StoryMembers")
		want := workers
		if round == 0 {
			want = 1
		}
		e.equal(fmt.Sprintf("round %d: members", round), len(members), want)
	}
}

func testReplies(e *env) {
	s := e.open()
	row := e.enqueue(s, "update/1/slack/C1/a", "slack", "C1", Epoch)
	other := e.enqueue(s, "update/2/slack/C1/x", "slack", "C1", Epoch)
	add := func(id int64, doc string) bool {
		e.t.Helper()
		ok, err := s.AddReplyDoc(e.ctx, id, doc)
		e.must(err, "AddReplyDoc")
		return ok
	}
	for _, d := range []string{"a", "b", "c", "b", "d"} {
		if !add(row.ID, d) {
			e.t.Errorf("AddReplyDoc(%s) to a pending row: false", d)
		}
	}
	add(other.ID, "y")
	docs, total, err := s.ReplyDocs(e.ctx, row.ID, 10)
	e.must(err, "ReplyDocs")
	e.equal("ReplyDocs", docs, []string{"a", "b", "c", "d"})
	e.equal("total", total, 4)
	docs, total, err = s.ReplyDocs(e.ctx, row.ID, 2)
	e.must(err, "ReplyDocs")
	e.equal("ReplyDocs, limit 2", [2]any{docs, total}, [2]any{[]string{"a", "b"}, 4})
	e.claim(s, row.ID, Epoch, true)
	if add(row.ID, "e") {
		e.t.Error("AddReplyDoc to a row being sent: true")
	}
	if !add(row.ID, "c") {
		e.t.Error("AddReplyDoc of a document the claimed row reports: false")
	}
	_, total, err = s.ReplyDocs(e.ctx, row.ID, 0)
	e.must(err, "ReplyDocs")
	e.equal("total after the claim", total, 4)
	_, err = s.AddReplyDoc(e.ctx, 999999, "a")
	e.notFound(err, "AddReplyDoc to no row")

	// Adding to a reply costs the same however many reports it holds: a
	// thousand go in one transaction.
	big := e.enqueue(s, "update/3/slack/C1/a", "slack", "C1", Epoch)
	e.must(s.Write(e.ctx, func(tx store.Tx) error {
		for i := range 1000 {
			if ok, err := tx.AddReplyDoc(e.ctx, big.ID, fmt.Sprint(i)); err != nil || !ok {
				return fmt.Errorf("report %d: %v, %v", i, ok, err)
			}
		}
		return nil
	}), "AddReplyDoc in a transaction")
	_, total, err = s.ReplyDocs(e.ctx, big.ID, 5)
	e.must(err, "ReplyDocs")
	e.equal("total of the big reply", total, 1000)
}
