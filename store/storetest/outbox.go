package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// enqueue adds a row for key to transport/channel and returns it.
func (e *env) enqueue(s store.Store, key, transport, channel string, due time.Time) store.OutboxRow {
	e.t.Helper()
	ok, err := s.Enqueue(e.ctx, store.OutboxRow{Key: key, Transport: transport, Channel: channel, Kind: "alert",
		Payload: []byte(`{"key":"` + key + `"}`), Due: due})
	e.must(err, "Enqueue "+key)
	if !ok {
		e.t.Fatalf("Enqueue %s: not inserted", key)
	}
	return e.row(s, key)
}

// row returns the row with key.
func (e *env) row(s store.Store, key string) store.OutboxRow {
	e.t.Helper()
	r, err := s.OutboxRow(e.ctx, key)
	e.must(err, "OutboxRow "+key)
	return r
}

// heads returns the keys of OutboxHeads(now, limit).
func (e *env) heads(s store.Store, now time.Time, limit int) []string {
	e.t.Helper()
	rows, err := s.OutboxHeads(e.ctx, now, limit)
	e.must(err, "OutboxHeads")
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Key)
	}
	return out
}

// claim claims row id at now and checks the answer.
func (e *env) claim(s store.Store, id int64, now time.Time, want bool) {
	e.t.Helper()
	ok, err := s.ClaimOutbox(e.ctx, id, now)
	e.must(err, "ClaimOutbox")
	if ok != want {
		e.t.Errorf("ClaimOutbox(%d) = %v, want %v", id, ok, want)
	}
}

func testEnqueue(e *env) {
	s := e.open()
	e.clock.Set(at(time.Hour))
	r := store.OutboxRow{Key: "alert/7/slack/C1", Transport: "slack", Channel: "C1", Kind: "alert", StoryID: 7,
		ParentKey: "parent", Payload: []byte(`{"rule":"assault"}`),
		// The store decides these:
		State: store.Sent, Attempts: 5, RemoteID: "x", LastError: "x", CreatedAt: at(-time.Hour), SentAt: at(time.Hour)}
	ok, err := s.Enqueue(e.ctx, r)
	e.must(err, "Enqueue")
	if !ok {
		e.t.Errorf("Enqueue of a new key: inserted = false")
	}
	got := e.row(s, r.Key)
	if got.ID == 0 {
		e.t.Errorf("Enqueue left ID zero")
	}
	e.equal("OutboxRow", got, store.OutboxRow{ID: got.ID, Key: r.Key, Transport: "slack", Channel: "C1",
		Kind: "alert", StoryID: 7, ParentKey: "parent", Payload: []byte(`{"rule":"assault"}`),
		State: store.Pending, Due: at(time.Hour), CreatedAt: at(time.Hour)})

	// The key is unique: a second decision to send it changes nothing.
	e.clock.Set(at(2 * time.Hour))
	r2 := r
	r2.Payload, r2.Channel = []byte(`{"other":true}`), "C2"
	ok, err = s.Enqueue(e.ctx, r2)
	e.must(err, "Enqueue of a known key")
	if ok {
		e.t.Errorf("Enqueue of a known key: inserted = true")
	}
	e.equal("row after a second Enqueue", e.row(s, r.Key), got)

	later := e.enqueue(s, "later", "telegram", "-100", at(5*time.Hour+time.Microsecond))
	e.equal("Due given", later.Due, at(5*time.Hour+time.Microsecond))
	e.equal("CreatedAt", later.CreatedAt, at(2*time.Hour))
	if later.ID <= got.ID {
		e.t.Errorf("IDs do not grow: %d then %d", got.ID, later.ID)
	}

	ok, err = s.Enqueue(e.ctx, store.OutboxRow{Key: "empty", Transport: "slack", Channel: "C1"})
	e.must(err, "Enqueue without payload")
	if ok {
		e.equal("Payload of a row without one", e.row(s, "empty").Payload, []byte(nil))
	}

	_, err = s.OutboxRow(e.ctx, "unknown")
	e.notFound(err, "OutboxRow of an unknown key")
	for _, bad := range []store.OutboxRow{
		{Transport: "slack", Channel: "C1"},
		{Key: "k", Channel: "C1"},
		{Key: "k", Transport: "slack"},
	} {
		if _, err := s.Enqueue(e.ctx, bad); err == nil {
			e.t.Errorf("Enqueue(%+v): no error", bad)
		}
	}
}

func testOutboxOrder(e *env) {
	s := e.open()
	now := Epoch
	a1 := e.enqueue(s, "a1", "slack", "C1", time.Time{})
	e.enqueue(s, "a2", "slack", "C1", time.Time{})
	e.enqueue(s, "a3", "slack", "C1", time.Time{})
	e.enqueue(s, "b1", "telegram", "C1", time.Time{}) // another transport: another channel
	e.enqueue(s, "c1", "slack", "C2", time.Time{})

	e.equal("heads", e.heads(s, now, 10), []string{"a1", "b1", "c1"})
	e.equal("heads, limit 2", e.heads(s, now, 2), []string{"a1", "b1"})
	e.equal("heads, limit 0", e.heads(s, now, 0), []string{})

	// While a1 is being sent, a2 waits.
	e.claim(s, a1.ID, now, true)
	e.equal("heads while a1 is sending", e.heads(s, now, 10), []string{"b1", "c1"})
	e.must(s.MarkSent(e.ctx, a1.ID, "1625731200.000100", at(time.Minute)), "MarkSent")
	e.equal("heads after a1 was sent", e.heads(s, now, 10), []string{"a2", "b1", "c1"})

	got := e.row(s, "a1")
	want := a1
	want.State, want.Attempts, want.RemoteID, want.SentAt = store.Sent, 1, "1625731200.000100", at(time.Minute)
	e.equal("sent row", got, want)

	rows, err := s.OutboxHeads(e.ctx, now, 1)
	e.must(err, "OutboxHeads")
	if len(rows) == 1 {
		e.equal("head row", rows[0], e.row(s, "a2"))
	}
}

func testOutboxDue(e *env) {
	s := e.open()
	m := time.Minute
	d1 := e.enqueue(s, "d1", "slack", "D", at(10*m))
	e.enqueue(s, "d2", "slack", "D", Epoch) // due, but behind d1
	e1 := e.enqueue(s, "e1", "slack", "E", at(5*m))
	e.enqueue(s, "f1", "slack", "F", Epoch)

	e.equal("heads now", e.heads(s, Epoch, 10), []string{"f1"})
	e.equal("heads in 5m", e.heads(s, at(5*m), 10), []string{"f1", "e1"})
	e.equal("heads in 10m", e.heads(s, at(10*m), 10), []string{"f1", "e1", "d1"})
	e.equal("heads in 10m, limit 2 (most overdue)", e.heads(s, at(10*m), 2), []string{"f1", "e1"})

	e.claim(s, d1.ID, Epoch, false) // not due yet
	e.claim(s, e1.ID, at(5*m-time.Microsecond), false)
	e.claim(s, d1.ID, at(10*m), true)
	e.must(s.MarkSent(e.ctx, d1.ID, "1", at(10*m)), "MarkSent")
	e.equal("heads after d1", e.heads(s, at(10*m), 10), []string{"d2", "f1", "e1"})
}

func testOutboxRetryAndDead(e *env) {
	s := e.open()
	m := time.Minute
	a1 := e.enqueue(s, "a1", "slack", "C1", Epoch)
	a2 := e.enqueue(s, "a2", "slack", "C1", Epoch)
	e.enqueue(s, "a3", "slack", "C1", Epoch)

	// A row waiting for its retry holds back the rows after it.
	e.claim(s, a1.ID, Epoch, true)
	e.must(s.MarkRetry(e.ctx, a1.ID, at(m), "429 Too Many Requests"), "MarkRetry")
	got := e.row(s, "a1")
	e.equal("retried row", [4]any{got.State, got.Attempts, got.Due, got.LastError},
		[4]any{store.Pending, 1, at(m), "429 Too Many Requests"})
	e.equal("heads before the retry", e.heads(s, Epoch, 10), []string{})
	e.equal("heads at the retry", e.heads(s, at(m), 10), []string{"a1"})
	e.claim(s, a1.ID, at(m), true)
	e.equal("attempts", e.row(s, "a1").Attempts, 2)

	// A dead row does not.
	e.must(s.MarkDead(e.ctx, a1.ID, "channel_not_found"), "MarkDead")
	got = e.row(s, "a1")
	e.equal("dead row", [3]any{got.State, got.Attempts, got.LastError}, [3]any{store.Dead, 2, "channel_not_found"})
	e.equal("heads after a1 died", e.heads(s, at(m), 10), []string{"a2"})
	e.must(s.MarkDead(e.ctx, a2.ID, "too long"), "MarkDead of a pending row")
	e.equal("heads after a2 died", e.heads(s, at(m), 10), []string{"a3"})

	dead, err := s.DeadRows(e.ctx, 10)
	e.must(err, "DeadRows")
	e.equal("DeadRows", keys(dead), []string{"a2", "a1"})
	dead, err = s.DeadRows(e.ctx, 1)
	e.must(err, "DeadRows")
	e.equal("DeadRows, limit 1", keys(dead), []string{"a2"})
	if len(dead) == 1 {
		e.equal("DeadRows row", dead[0], e.row(s, "a2"))
	}

	// Final states stay final.
	e.must(s.MarkRetry(e.ctx, a1.ID, at(2*m), "again"), "MarkRetry of a dead row")
	e.equal("dead row after MarkRetry", e.row(s, "a1").State, store.Dead)
	a3 := e.row(s, "a3")
	e.claim(s, a3.ID, at(m), true)
	e.must(s.MarkSent(e.ctx, a3.ID, "r3", at(m)), "MarkSent")
	e.must(s.MarkRetry(e.ctx, a3.ID, at(2*m), "late error"), "MarkRetry of a sent row")
	e.must(s.MarkDead(e.ctx, a3.ID, "late error"), "MarkDead of a sent row")
	got = e.row(s, "a3")
	e.equal("sent row after MarkRetry and MarkDead", [3]any{got.State, got.RemoteID, got.LastError},
		[3]any{store.Sent, "r3", ""})
	e.claim(s, a3.ID, at(m), false)

	e.notFound(s.MarkSent(e.ctx, 9999, "x", Epoch), "MarkSent of an unknown row")
	e.notFound(s.MarkRetry(e.ctx, 9999, Epoch, "x"), "MarkRetry of an unknown row")
	e.notFound(s.MarkDead(e.ctx, 9999, "x"), "MarkDead of an unknown row")
}

// keys returns the keys of rows.
func keys(rows []store.OutboxRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Key)
	}
	return out
}

func testClaim(e *env) {
	s := e.open()
	r := e.enqueue(s, "r", "slack", "C1", Epoch)
	e.claim(s, r.ID, Epoch, true)
	e.claim(s, r.ID, Epoch, false) // held
	got := e.row(s, "r")
	e.equal("claimed row", [2]any{got.State, got.Attempts}, [2]any{store.Sending, 1})
	e.claim(s, 9999, Epoch, false)
}

// claimAll has workers claim every row in ids at once and checks that each
// row was claimed exactly once.
func (e *env) claimAll(workers []store.Store, ids []int64) {
	e.t.Helper()
	wins := make([]atomic.Int32, len(ids))
	var wg sync.WaitGroup
	for w, s := range workers {
		wg.Go(func() {
			for i := range ids {
				i := (i + w*len(ids)/len(workers)) % len(ids) // start apart, then collide
				ok, err := s.ClaimOutbox(e.ctx, ids[i], Epoch)
				if err != nil {
					e.t.Errorf("ClaimOutbox: %v", err)
					return
				}
				if ok {
					wins[i].Add(1)
				}
			}
		})
	}
	wg.Wait()
	for i := range wins {
		if n := wins[i].Load(); n != 1 {
			e.t.Errorf("row %d claimed %d times, want once", ids[i], n)
		}
	}
}

func testClaimConcurrent(e *env) {
	s := e.open()
	var ids []int64
	for i := range 40 {
		ids = append(ids, e.enqueue(s, fmt.Sprintf("r%d", i), "slack", fmt.Sprintf("C%d", i), Epoch).ID)
	}
	e.claimAll([]store.Store{s, s, s, s}, ids)
	st, err := s.OutboxStats(e.ctx)
	e.must(err, "OutboxStats")
	e.equal("sending rows", st[store.Sending], len(ids))
}

func testUpdatePending(e *env) {
	s := e.open()
	r := e.enqueue(s, "r", "slack", "C1", Epoch)
	ok, err := s.UpdatePending(e.ctx, r.ID, []byte(`{"docs":["a","b"]}`))
	e.must(err, "UpdatePending")
	if !ok {
		e.t.Errorf("UpdatePending of a pending row = false")
	}
	e.equal("payload", string(e.row(s, "r").Payload), `{"docs":["a","b"]}`)

	e.claim(s, r.ID, Epoch, true)
	ok, err = s.UpdatePending(e.ctx, r.ID, []byte(`{"docs":["a","b","c"]}`))
	e.must(err, "UpdatePending")
	if ok {
		e.t.Errorf("UpdatePending of a claimed row = true")
	}
	e.equal("payload of a claimed row", string(e.row(s, "r").Payload), `{"docs":["a","b"]}`)
	_, err = s.UpdatePending(e.ctx, 9999, []byte(`{}`))
	e.notFound(err, "UpdatePending of an unknown row")
}

func testResetInflight(e *env) {
	s := e.open()
	r1 := e.enqueue(s, "r1", "slack", "C1", Epoch)
	r2 := e.enqueue(s, "r2", "slack", "C2", Epoch)
	e.enqueue(s, "r3", "slack", "C3", Epoch)
	e.claim(s, r1.ID, Epoch, true)
	e.claim(s, r2.ID, Epoch, true)
	e.must(s.MarkSent(e.ctx, r2.ID, "x", Epoch), "MarkSent")

	n, err := s.ResetInflight(e.ctx)
	e.must(err, "ResetInflight")
	e.equal("ResetInflight", n, 1)
	got := e.row(s, "r1")
	e.equal("reset row", [2]any{got.State, got.Attempts}, [2]any{store.Pending, 1})
	e.equal("sent row", e.row(s, "r2").State, store.Sent)
	n, err = s.ResetInflight(e.ctx)
	e.must(err, "ResetInflight")
	e.equal("ResetInflight again", n, 0)
	e.claim(s, r1.ID, Epoch, true)
	e.equal("attempts after a reset", e.row(s, "r1").Attempts, 2)
}

func testOutboxStats(e *env) {
	s := e.open()
	st, err := s.OutboxStats(e.ctx)
	e.must(err, "OutboxStats")
	e.equal("OutboxStats of an empty outbox", st,
		map[store.OutboxState]int{store.Pending: 0, store.Sending: 0, store.Sent: 0, store.Dead: 0})

	var rows []store.OutboxRow
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		rows = append(rows, e.enqueue(s, k, "slack", "C-"+k, Epoch))
	}
	for _, r := range rows[:5] {
		e.claim(s, r.ID, Epoch, true)
	}
	for _, r := range rows[:3] {
		e.must(s.MarkSent(e.ctx, r.ID, "x", Epoch), "MarkSent")
	}
	e.must(s.MarkDead(e.ctx, rows[3].ID, "x"), "MarkDead")
	st, err = s.OutboxStats(e.ctx)
	e.must(err, "OutboxStats")
	e.equal("OutboxStats", st, map[store.OutboxState]int{store.Pending: 2, store.Sending: 1, store.Sent: 3, store.Dead: 1})
}

// testOutboxStoryHeads checks that a row waiting to be due holds up its own
// story in a channel, not the channel's other stories.
func testOutboxStoryHeads(e *env) {
	s := e.open()
	now := Epoch
	add := func(key string, story int64, due time.Time) store.OutboxRow {
		ok, err := s.Enqueue(e.ctx, store.OutboxRow{Key: key, Transport: "slack", Channel: "C1", Kind: "update",
			StoryID: story, Payload: []byte(`{}`), Due: due})
		e.must(err, "Enqueue "+key)
		if !ok {
			e.t.Fatalf("Enqueue %s: not inserted", key)
		}
		return e.row(s, key)
	}
	add("s1-reply", 1, now.Add(10*time.Minute)) // waits for its update interval
	add("s1-edit", 1, time.Time{})              // behind it, in order
	s2 := add("s2-alert", 2, time.Time{})
	add("s2-reply", 2, time.Time{})
	e.equal("heads while story 1 waits", e.heads(s, now, 10), []string{"s2-alert"})
	e.claim(s, s2.ID, now, true)
	e.must(s.MarkSent(e.ctx, s2.ID, "ts", now), "MarkSent")
	e.equal("heads after story 2's alert", e.heads(s, now, 10), []string{"s2-reply"})
	e.equal("heads once story 1 is due, first due first", e.heads(s, now.Add(10*time.Minute), 10), []string{"s2-reply"})
	r := e.row(s, "s2-reply")
	e.claim(s, r.ID, now, true)
	e.must(s.MarkSent(e.ctx, r.ID, "ts", now), "MarkSent")
	e.equal("heads after story 2", e.heads(s, now.Add(10*time.Minute), 10), []string{"s1-reply"})
}
