package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// PruneBatch is how many documents retention deletes per transaction, so
// a large first prune never holds the store's writer long.
const PruneBatch = 500

// PruneSchedule is when the leader prunes (BOT_RETENTION set).
const PruneSchedule = "@every 1h"

// Pruner deletes what is older than the retention window (BOT_RETENTION):
// documents published before it with what hangs on them, the stories
// they leave empty and their delivered rows, but nothing an open story or
// a row still to deliver needs (see store.Retention). Deleted documents
// leave the copy index too, so none is a candidate whose text is gone.
type Pruner struct {
	Store store.Retention
	// Window is how long documents are kept; zero keeps everything.
	Window time.Duration
	// Copies returns the copy index in force (nil: none).
	Copies  func() *Copies
	Clock   Clock
	Log     *slog.Logger
	Metrics *Metrics
}

// Prune runs one pass: it deletes in batches of PruneBatch documents,
// then the named values of the stories deleted, and logs and counts what
// went.
func (p *Pruner) Prune(ctx context.Context) (store.Pruned, error) {
	if p.Window <= 0 {
		return store.Pruned{}, nil
	}
	start := p.Clock.Now()
	cutoff := start.Add(-p.Window)
	var copies *Copies
	if p.Copies != nil {
		copies = p.Copies()
	}
	forgotten := 0
	out, err := p.Store.Prune(ctx, cutoff, PruneBatch, func(ids []string) {
		if copies != nil {
			forgotten += copies.Detector.Forget(ids)
		}
	})
	m := p.Metrics.Use()
	m.Pruned.Add(float64(out.Documents), "documents")
	m.Pruned.Add(float64(len(out.Stories)), "stories")
	m.Pruned.Add(float64(out.Rows), "outbox_rows")
	if err != nil {
		return out, fmt.Errorf("pruning before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	states := 0
	for _, id := range out.Stories {
		for _, prefix := range []string{"carrier/", "open-update/"} {
			n, err := p.Store.DeleteStates(ctx, prefix+strconv.FormatInt(id, 10)+"/")
			if err != nil {
				return out, fmt.Errorf("pruning the state of story %d: %w", id, err)
			}
			states += n
		}
	}
	level := slog.LevelDebug
	if out.Documents+len(out.Stories)+out.Rows > 0 {
		level = slog.LevelInfo
	}
	p.Log.Log(ctx, level, "retention: pruned", "before", cutoff.Format(time.RFC3339), "documents", out.Documents,
		"stories", len(out.Stories), "outbox rows", out.Rows, "states", states, "copy index entries", forgotten,
		"took", p.Clock.Now().Sub(start).Round(time.Millisecond))
	return out, nil
}
