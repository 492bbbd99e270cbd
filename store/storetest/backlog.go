package storetest

import (
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// testOutboxBacklog checks OutboxBacklog: rows waiting per transport, and
// the oldest due row's wait, counted from the later of its enqueue and due
// times; rows sent, dead or not yet due do not make the backlog old.
func testOutboxBacklog(e *env) {
	s := e.open()
	b, err := s.OutboxBacklog(e.ctx, Epoch)
	e.must(err, "OutboxBacklog")
	e.equal("OutboxBacklog of an empty outbox", b, map[string]store.Backlog{})

	e.clock.Set(Epoch)
	a := e.enqueue(s, "a", "slack", "C1", Epoch)                // due at once
	e.enqueue(s, "b", "slack", "C2", Epoch.Add(10*time.Minute)) // a batched reply, later
	e.clock.Set(Epoch.Add(time.Minute))
	e.enqueue(s, "c", "telegram", "-1", Epoch) // enqueued at +1m, due before
	sent := e.enqueue(s, "d", "telegram", "-2", Epoch)
	e.claim(s, sent.ID, Epoch.Add(time.Minute), true)
	e.must(s.MarkSent(e.ctx, sent.ID, "x", Epoch.Add(time.Minute)), "MarkSent")
	dead := e.enqueue(s, "e", "console", "console", Epoch)
	e.must(s.MarkDead(e.ctx, dead.ID, "x"), "MarkDead")

	now := Epoch.Add(5 * time.Minute)
	b, err = s.OutboxBacklog(e.ctx, now)
	e.must(err, "OutboxBacklog")
	e.equal("OutboxBacklog", b, map[string]store.Backlog{
		"slack":    {Waiting: 2, OldestDue: Epoch},
		"telegram": {Waiting: 1, OldestDue: Epoch.Add(time.Minute)},
	})

	// A row being sent still waits, but only pending rows date the backlog.
	e.claim(s, a.ID, now, true)
	b, err = s.OutboxBacklog(e.ctx, now)
	e.must(err, "OutboxBacklog")
	e.equal("OutboxBacklog while sending", b["slack"], store.Backlog{Waiting: 2})
}
