package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// recordMuted counts document d of story st as kept from dest by mute mu:
// an alert when none was posted there, a reply otherwise. A document
// already carried there (reprocessed after a crash) is not counted.
func (e *Engine) recordMuted(ctx context.Context, tx store.Tx, st store.Story, dest Dest, d corpus.Document, alertExists bool, mu *store.Mute) error {
	if _, err := tx.GetState(ctx, carrierState(st.ID, dest, d.ID)); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("reading carrier: %w", err)
	}
	kind := store.OutboxAlert
	if alertExists {
		kind = store.OutboxUpdate
	}
	if err := tx.RecordMuted(ctx, store.MutedReport{Transport: dest.Transport, Channel: dest.Channel, Story: st.ID,
		Doc: d.ID, Kind: kind, MuteID: mu.ID, At: e.Clock.Now()}); err != nil {
		return fmt.Errorf("counting a muted report: %w", err)
	}
	e.Log.Info("report muted", "kind", kind, "story", st.ID, "channel", dest.Name, "mute", mu.ID, "muted", mu.Label)
	e.Metrics.Use().ReportsMuted.Inc(dest.Transport, string(kind))
	return nil
}

// notifyFollowers adds d to the private report of each user who follows
// story st, as addToUpdate does for a channel: a burst of reports makes one
// message. A follower's private channel that is also a channel of the rule
// already has d in its thread and gets nothing more. It returns how many
// rows it added or extended.
func (e *Engine) notifyFollowers(ctx context.Context, tx store.Tx, st store.Story, d corpus.Document, r *rules.Rule) (int, error) {
	if e.DryRun {
		return 0, nil
	}
	follows, err := tx.Followers(ctx, st.ID)
	if err != nil {
		return 0, fmt.Errorf("reading followers: %w", err)
	}
	n := 0
	for _, f := range follows {
		dest := Dest{Transport: f.Transport, Channel: f.Direct, Name: "follow"}
		added, err := e.addToUpdate(ctx, tx, st, dest, d.ID, "", r)
		if err != nil {
			return n, fmt.Errorf("report to a follower: %w", err)
		}
		if added {
			n++
		}
	}
	return n, nil
}
