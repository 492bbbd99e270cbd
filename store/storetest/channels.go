package storetest

import (
	"time"

	"github.com/wirewatch/wirewatch/store"
)

func testChannelStates(e *env) {
	s := e.open()
	got, err := s.ChannelStates(e.ctx)
	e.must(err, "ChannelStates")
	e.equal("states of a new store", len(got), 0)

	slack := store.ChannelState{Transport: "slack", Channel: "C1", PausedUntil: at(20 * time.Second), Failures: 2,
		LastError: "slack: chat.postMessage: slack rate limit exceeded, retry after 20s", UpdatedAt: at(time.Second)}
	tg := store.ChannelState{Transport: "telegram", Channel: "", Failures: 1, LastError: "401 Unauthorized",
		UpdatedAt: at(time.Second)}
	e.must(s.SetChannelState(e.ctx, tg), "SetChannelState")
	e.must(s.SetChannelState(e.ctx, slack), "SetChannelState")
	got, err = s.ChannelStates(e.ctx)
	e.must(err, "ChannelStates")
	e.equal("states", got, []store.ChannelState{slack, tg})

	// A later state replaces the recorded one; another handle sees it.
	slack.PausedUntil, slack.Failures, slack.LastError, slack.UpdatedAt = time.Time{}, 0, "", at(time.Minute)
	e.must(s.SetChannelState(e.ctx, slack), "SetChannelState")
	got, err = e.open().ChannelStates(e.ctx)
	e.must(err, "ChannelStates")
	e.equal("states after a replacement", got, []store.ChannelState{slack, tg})

	if err := s.SetChannelState(e.ctx, store.ChannelState{Channel: "C1", UpdatedAt: Epoch}); err == nil {
		e.t.Error("SetChannelState without a transport: no error")
	}
}

func testChannelBacklogs(e *env) {
	s := e.open()
	got, err := s.ChannelBacklogs(e.ctx)
	e.must(err, "ChannelBacklogs")
	e.equal("backlog of a new store", len(got), 0)

	e.clock.Set(at(time.Minute))
	sent := e.enqueue(s, "c1-sent", "slack", "C1", time.Time{})
	e.clock.Set(at(2 * time.Minute))
	e.enqueue(s, "c1-a", "slack", "C1", time.Time{})
	e.clock.Set(at(3 * time.Minute))
	sending := e.enqueue(s, "c1-b", "slack", "C1", time.Time{})
	e.enqueue(s, "t1-a", "telegram", "-100", time.Time{})
	dead := e.enqueue(s, "c2-dead", "slack", "C2", time.Time{})
	e.claim(s, sent.ID, at(3*time.Minute), true)
	e.must(s.MarkSent(e.ctx, sent.ID, "ts", at(3*time.Minute)), "MarkSent")
	e.must(s.MarkDead(e.ctx, dead.ID, "gone"), "MarkDead")
	e.claim(s, sending.ID, at(3*time.Minute), true)
	got, err = s.ChannelBacklogs(e.ctx)
	e.must(err, "ChannelBacklogs")
	e.equal("backlog", got, []store.ChannelBacklog{
		{Transport: "slack", Channel: "C1", Pending: 2, Oldest: at(2 * time.Minute)},
		{Transport: "telegram", Channel: "-100", Pending: 1, Oldest: at(3 * time.Minute)},
	})
}

func testReleaseOutbox(e *env) {
	s := e.open()
	due := at(-time.Minute)
	r := e.enqueue(s, "r", "slack", "C1", due)
	e.claim(s, r.ID, Epoch, true)
	e.must(s.ReleaseOutbox(e.ctx, r.ID, "rate limited"), "ReleaseOutbox")
	got := e.row(s, "r")
	e.equal("released row", [4]any{got.State, got.Attempts, got.Due, got.LastError},
		[4]any{store.Pending, 0, due, "rate limited"})
	e.equal("heads after a release", e.heads(s, Epoch, 10), []string{"r"})

	// Only a row being sent is released.
	e.must(s.ReleaseOutbox(e.ctx, r.ID, "again"), "ReleaseOutbox of a pending row")
	e.equal("pending row after a release", e.row(s, "r").LastError, "rate limited")
	e.claim(s, r.ID, Epoch, true)
	e.must(s.MarkSent(e.ctx, r.ID, "ts", Epoch), "MarkSent")
	e.must(s.ReleaseOutbox(e.ctx, r.ID, "late"), "ReleaseOutbox of a sent row")
	e.equal("sent row after a release", e.row(s, "r").State, store.Sent)
	e.notFound(s.ReleaseOutbox(e.ctx, 9999, "x"), "ReleaseOutbox of an unknown row")
}

// testOutboxChannelHeads checks that each channel yields one head, the
// first of its stories to fall due, and none while one of its rows is
// being sent.
func testOutboxChannelHeads(e *env) {
	s := e.open()
	add := func(key, channel string, story int64, due time.Time) store.OutboxRow {
		ok, err := s.Enqueue(e.ctx, store.OutboxRow{Key: key, Transport: "slack", Channel: channel, Kind: "alert",
			StoryID: story, Payload: []byte(`{}`), Due: due})
		e.must(err, "Enqueue "+key)
		if !ok {
			e.t.Fatalf("Enqueue %s: not inserted", key)
		}
		return e.row(s, key)
	}
	s3 := add("s3", "C1", 3, at(-3*time.Minute))
	s1 := add("s1", "C1", 1, at(-time.Minute))
	add("s2", "C1", 2, at(-2*time.Minute))
	add("d1", "C2", 1, at(-30*time.Second))
	add("part", "C1", -s1.ID, at(-time.Minute)) // a later part of s1, in its own queue
	e.equal("one head per channel, the first due", e.heads(s, Epoch, 10), []string{"s3", "d1"})
	e.claim(s, s3.ID, Epoch, true)
	e.equal("no head while the channel sends", e.heads(s, Epoch, 10), []string{"d1"})
	e.must(s.MarkSent(e.ctx, s3.ID, "ts", Epoch), "MarkSent")
	e.equal("the next story in due order", e.heads(s, Epoch, 10), []string{"s2", "d1"})
	r2 := e.row(s, "s2")
	e.claim(s, r2.ID, Epoch, true)
	e.must(s.MarkSent(e.ctx, r2.ID, "ts", Epoch), "MarkSent")
	e.claim(s, s1.ID, Epoch, true)
	e.must(s.MarkSent(e.ctx, s1.ID, "ts", Epoch), "MarkSent")
	e.equal("the part right behind its first", e.heads(s, Epoch, 10), []string{"part", "d1"})
}

func testResetInflightOutcome(e *env) {
	s := e.open()
	r := e.enqueue(s, "r", "slack", "C1", Epoch)
	e.claim(s, r.ID, at(time.Second), true)
	_, err := s.ResetInflight(e.ctx)
	e.must(err, "ResetInflight")
	since, ok := store.ParseUnknownOutcome(e.row(s, "r").LastError)
	if !ok || !since.Equal(at(time.Second)) {
		e.t.Errorf("last error after a reset = %q: want an unknown outcome since the claim (%v)", e.row(s, "r").LastError, at(time.Second))
	}
}
