package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/store"
)

// withControls gives the alert m of story id, posted as row, its buttons:
// the ref they carry and the story's mute in force in the row's channel.
func (r *Renderer) withControls(ctx context.Context, m *chat.Message, id int64, row store.OutboxRow) error {
	st, err := r.Store.Story(ctx, id)
	if err != nil {
		return fmt.Errorf("story %d: %w", id, err)
	}
	target, label, command := scopeOf(st)
	ref, err := r.Store.PutActionRef(ctx, store.ActionRef{Transport: row.Transport, Channel: row.Channel, Story: st.ID,
		Rule: st.Rule, Scope: target, ScopeLabel: label})
	if err != nil {
		return fmt.Errorf("buttons of story %d: %w", id, err)
	}
	c := &chat.Controls{Ref: ref.ID, Story: st.ID, Scope: ref.ScopeLabel, ScopeCommand: command}
	mutes, err := r.Store.Mutes(ctx, r.now())
	if err != nil {
		return fmt.Errorf("reading mutes: %w", err)
	}
	var shown *store.Mute
	for i, mu := range mutes {
		if mu.Transport != row.Transport || mu.Channel != row.Channel {
			continue
		}
		if mu.Target == storyTarget(st.ID) || mu.Target == ref.Scope && shown == nil {
			shown = &mutes[i]
		}
	}
	if shown != nil {
		c.Muted = &chat.MuteNote{ID: shown.ID, What: shown.Label, For: formatFor(shown.Until.Sub(shown.CreatedAt)),
			By: firstNonEmpty(shown.ByName, shown.By), Until: shown.Until}
	}
	m.Controls = c
	return nil
}

func (r *Renderer) now() time.Time {
	if r.Clock != nil {
		return r.Clock.Now()
	}
	return SystemClock{}.Now()
}

// followText heads a report sent privately to a story's followers.
func followText(story int64, n int) string {
	return fmt.Sprintf("Story #%d, which you follow: %s. /unfollow %d stops these.", story,
		english.Plural(n, "more report"), story)
}
