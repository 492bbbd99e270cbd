package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

func groupWindow(r *rules.Rule) time.Duration {
	if r.GroupWindow > 0 {
		return time.Duration(r.GroupWindow)
	}
	return DefaultGroupWindow
}

func updateInterval(r *rules.Rule) time.Duration {
	if r.UpdateInterval > 0 {
		return time.Duration(r.UpdateInterval)
	}
	return DefaultUpdateInterval
}

// place puts d in a story of rule r and enqueues what that means: an alert
// for a new story, an edit when d copies a document already posted, an
// update otherwise. It returns the story, how many rows it touched and
// whether d opened the story.
func (e *Engine) place(ctx context.Context, tx store.Tx, d corpus.Document, copyOf string, r *rules.Rule, m corpus.DocMatch, mutes []store.Mute, regions []corpus.DocRegion) (int64, int, bool, error) {
	key := m.GroupKey
	if key == "" || key == "none" {
		// A document naming no place has nothing to group it by: it is a
		// story of its own (its copies still join it), rather than every
		// placeless report chaining into one story.
		key = "doc:" + d.ID
	}
	p, err := tx.Place(ctx, store.Placement{Rule: r.Name, Key: key, KeyName: m.GroupName, DocID: d.ID,
		Published: d.Published, CopyOf: copyOf, Window: groupWindow(r), CreatedAt: e.Clock.Now()})
	if err != nil {
		return 0, 0, false, fmt.Errorf("placing in a story: %w", err)
	}
	if p.How == store.Copy {
		n, err := e.enqueueEdits(ctx, tx, p.Story, d.ID, copyOf, r)
		return p.Story.ID, n, false, err
	}
	n, err := e.enqueueForMember(ctx, tx, p.Story, d, r, mutes, m, regions)
	return p.Story.ID, n, p.How == store.Opened, err
}

// enqueueForMember enqueues, per destination, the alert when d leads the
// story, or adds d to the destination's open thread reply. Each
// destination is decided on its own (see decideFor).
func (e *Engine) enqueueForMember(ctx context.Context, tx store.Tx, st store.Story, d corpus.Document, r *rules.Rule, mutes []store.Mute, m corpus.DocMatch, regions []corpus.DocRegion) (int, error) {
	n := 0
	for _, dest := range e.dests(r) {
		if e.DryRun {
			continue
		}
		added, err := e.decideFor(ctx, tx, st, d, r, dest, mutes, m, regions)
		if err != nil {
			return n, err
		}
		if added {
			n++
		}
	}
	k, err := e.notifyFollowers(ctx, tx, st, d, r)
	return n + k, err
}

// decideFor decides what report d means in one destination: the story's
// alert when it has none there yet, else a place in the destination's
// thread reply; nothing but a count when a mute holds it there. It reports
// whether a row was added or extended.
func (e *Engine) decideFor(ctx context.Context, tx store.Tx, st store.Story, d corpus.Document, r *rules.Rule, dest Dest, mutes []store.Mute, m corpus.DocMatch, regions []corpus.DocRegion) (bool, error) {
	akey := alertKey(st.ID, dest)
	arow, err := tx.OutboxRow(ctx, akey)
	alertExists := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("reading alert row: %w", err)
	}
	if alertExists {
		// Reprocessed after a crash: the alert may already carry d.
		if rf, err := decodeRef(arow.Payload); err == nil && slices.Contains(rf.Docs, d.ID) {
			if err := tx.SetState(ctx, carrierState(st.ID, dest, d.ID), akey); err != nil {
				return false, fmt.Errorf("recording carrier: %w", err)
			}
			return false, nil
		}
	}
	if mu := muteOf(mutes, dest, st.ID, r.Name, m, regions); mu != nil {
		// Muted here: not posted, but counted (for /status and /mutes).
		// When the mute ends, the next report posts: the alert when none
		// was posted, else a reply in its thread.
		return false, e.recordMuted(ctx, tx, st, dest, d, alertExists, mu)
	}
	if !alertExists {
		// No alert here yet: this report opens the story in this
		// destination (a new story, or one alerted while muted here).
		ins, err := tx.Enqueue(ctx, store.OutboxRow{
			Key: akey, Transport: dest.Transport, Channel: dest.Channel, Kind: store.OutboxAlert,
			StoryID: st.ID, Payload: ref{Rule: r.Name, Story: st.ID, Docs: []string{d.ID}}.encode(),
		})
		if err != nil {
			return false, fmt.Errorf("enqueueing alert: %w", err)
		}
		if err := tx.SetState(ctx, carrierState(st.ID, dest, d.ID), akey); err != nil {
			return false, fmt.Errorf("recording carrier: %w", err)
		}
		return ins, nil
	}
	return e.addToUpdate(ctx, tx, st, dest, d.ID, akey, r)
}

// addToUpdate adds doc to the destination's open reply while that is still
// waiting to be sent, as one row of its reports whatever their number;
// otherwise it enqueues a new reply, due one update interval from now, so
// every report arriving meanwhile joins it (as Alertmanager's
// group_interval batches notifications). The reply threads under the row
// whose key is parent ("": a message of its own, as the private reports to
// a story's followers are).
func (e *Engine) addToUpdate(ctx context.Context, tx store.Tx, st store.Story, dest Dest, doc, parent string, r *rules.Rule) (bool, error) {
	cstate := carrierState(st.ID, dest, doc)
	if _, err := tx.GetState(ctx, cstate); err == nil {
		return false, nil // already carried
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("reading carrier: %w", err)
	}
	// Reprocessed after a crash: a reply may already carry doc.
	if _, err := tx.OutboxRow(ctx, updateKey(st.ID, dest, doc)); err == nil {
		return false, tx.SetState(ctx, cstate, updateKey(st.ID, dest, doc))
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("reading reply: %w", err)
	}
	key, err := tx.GetState(ctx, openUpdateState(st.ID, dest))
	switch {
	case err == nil:
		row, err := tx.OutboxRow(ctx, key)
		if err != nil {
			return false, fmt.Errorf("reading open reply: %w", err)
		}
		// A reply whose last send had no answer may be posted already:
		// what it did not carry then goes in a new reply.
		ok := false
		if !store.IsUnknownOutcome(row.LastError) {
			if ok, err = tx.AddReplyDoc(ctx, row.ID, doc); err != nil {
				return false, fmt.Errorf("extending reply: %w", err)
			}
		}
		if ok {
			if err := tx.SetState(ctx, cstate, key); err != nil {
				return false, fmt.Errorf("recording carrier: %w", err)
			}
			return true, nil
		}
		// Claimed for delivery meanwhile: a new reply.
	case !errors.Is(err, store.ErrNotFound):
		return false, fmt.Errorf("reading open reply: %w", err)
	}
	key = updateKey(st.ID, dest, doc)
	if _, err := tx.Enqueue(ctx, store.OutboxRow{
		Key: key, Transport: dest.Transport, Channel: dest.Channel, Kind: store.OutboxUpdate,
		StoryID: st.ID, ParentKey: parent, Due: e.Clock.Now().Add(updateInterval(r)),
		Payload: ref{Rule: r.Name, Story: st.ID, Docs: []string{doc}}.encode(),
	}); err != nil {
		return false, fmt.Errorf("enqueueing reply: %w", err)
	}
	if err := tx.SetState(ctx, openUpdateState(st.ID, dest), key); err != nil {
		return false, fmt.Errorf("recording open reply: %w", err)
	}
	if err := tx.SetState(ctx, cstate, key); err != nil {
		return false, fmt.Errorf("recording carrier: %w", err)
	}
	return true, nil
}

// enqueueEdits enqueues, per destination that carries the original, an
// edit of the message carrying it: the copy raises its source count.
func (e *Engine) enqueueEdits(ctx context.Context, tx store.Tx, st store.Story, doc, orig string, r *rules.Rule) (int, error) {
	n := 0
	for _, dest := range e.dests(r) {
		if e.DryRun {
			continue
		}
		carrier, err := tx.GetState(ctx, carrierState(st.ID, dest, orig))
		if errors.Is(err, store.ErrNotFound) {
			continue // the original never went there (muted, or added later)
		}
		if err != nil {
			return n, fmt.Errorf("reading carrier: %w", err)
		}
		ins, err := tx.Enqueue(ctx, store.OutboxRow{
			Key: editKey(st.ID, dest, doc), Transport: dest.Transport, Channel: dest.Channel,
			Kind: store.OutboxEdit, StoryID: st.ID, ParentKey: carrier,
			Payload: ref{Rule: r.Name, Story: st.ID, Docs: []string{doc}, Carrier: carrier}.encode(),
		})
		if err != nil {
			return n, fmt.Errorf("enqueueing edit: %w", err)
		}
		if ins {
			n++
		}
	}
	return n, nil
}

func (e *Engine) dests(r *rules.Rule) []Dest {
	var out []Dest
	seen := map[string]bool{}
	for _, c := range r.Channels {
		for _, d := range e.Routes[c] {
			if !seen[d.String()] {
				seen[d.String()] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// muteOf returns the mute in force that covers story st of rule, or a
// place of the document, in dest; nil when none does. Targets are what
// /mute and the alert buttons store (see store.Mute): "story:12",
// "rule:NAME", "group:AF.02", "admin1:AF.02", "country:AF", "place:ID" or
// "region:NAME" (a region of rules.yaml), several joined with "&" when all
// must hold; a bare name is compared with the rule and group names.
func muteOf(mutes []store.Mute, dest Dest, st int64, rule string, m corpus.DocMatch, regions []corpus.DocRegion) *store.Mute {
	for i, mu := range mutes {
		if mu.Transport != dest.Transport || mu.Channel != dest.Channel {
			continue
		}
		all := true
		for part := range strings.SplitSeq(mu.Target, "&") {
			if !targetHolds(part, st, rule, m, regions) {
				all = false
				break
			}
		}
		if all {
			return &mutes[i]
		}
	}
	return nil
}

// targetHolds reports whether one part of a mute target covers a story's
// document.
func targetHolds(target string, st int64, rule string, m corpus.DocMatch, regions []corpus.DocRegion) bool {
	kind, val, ok := strings.Cut(target, ":")
	switch {
	case !ok:
		t := corpus.Fold(target)
		return t == corpus.Fold(rule) || t == corpus.Fold(m.GroupKey) || groupNameMatches(t, m.GroupName)
	case kind == "story":
		return val == strconv.FormatInt(st, 10)
	case kind == "rule":
		return val == rule
	case kind == "group":
		return val == m.GroupKey
	case kind == "region":
		for _, reg := range m.Regions {
			if name, _, _ := strings.Cut(reg, " ("); corpus.Fold(name) == corpus.Fold(val) {
				return true
			}
		}
		return false
	}
	for _, r := range regions {
		if kind == "admin1" && r.Admin1 == val || kind == "country" && r.Country == val ||
			kind == "place" && strconv.FormatInt(r.PlaceID, 10) == val {
			return true
		}
	}
	return false
}

func groupNameMatches(folded, groupName string) bool {
	if groupName == "" {
		return false
	}
	name, _, _ := strings.Cut(groupName, ",")
	return folded == corpus.Fold(name) || folded == corpus.Fold(groupName)
}
