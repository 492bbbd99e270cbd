package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Analyzer finds the places and rule matches of a document's text.
type Analyzer interface {
	Analyze(text string) corpus.Analysis
}

// CopyDetector finds the document that text is a near-copy of, and records
// text so later documents can be found to copy it.
type CopyDetector interface {
	Check(ctx context.Context, id, text string) (copyOf string, err error)
}

// EngineStore is what the engine reads and writes while it places documents
// in stories and decides what to send. The scanner stores documents through
// it too.
type EngineStore interface {
	store.Documents
	store.Copies
	store.Stories
	store.OutboxWriter
	store.State
	store.Mutes
	// Followers returns the users who follow a story (store.Follows).
	Followers(ctx context.Context, story int64) ([]store.Follow, error)
}

// Defaults for rules that do not set their own.
const (
	DefaultGroupWindow    = 48 * time.Hour
	DefaultUpdateInterval = 10 * time.Minute
)

// Engine turns documents into stories and outbox rows. Its methods are safe
// to call from one goroutine at a time (the scheduler guarantees it).
type Engine struct {
	Store    EngineStore
	Analyzer Analyzer
	Copies   CopyDetector
	Rules    *rules.Config
	// Routes maps a channel name of rules.yaml to where it posts.
	Routes map[string][]Dest
	Clock  Clock
	Log    *slog.Logger
	// DryRun computes everything but enqueues nothing.
	DryRun bool
	// Notify, when set, is called after rows were enqueued (to wake the
	// delivery loop).
	Notify func()
	// Metrics counts the stories opened (nil: not counted).
	Metrics *Metrics
}

// Outcome is what the engine decided for one document.
type Outcome struct {
	Doc      corpus.Document
	Analysis corpus.Analysis
	CopyOf   string
	// Stories maps each matched rule to the story the document joined.
	Stories map[string]int64
	// Enqueued counts outbox rows added or extended.
	Enqueued int
}

// ProcessPending processes every stored document not yet processed, oldest
// publication first, so the earliest report of a story is its alert even
// when files were read in another order. It returns the outcomes.
func (e *Engine) ProcessPending(ctx context.Context) ([]Outcome, error) {
	var out []Outcome
	failed := map[string]bool{} // tried in this pass: left pending for the next
	var firstErr error
	// A failure shared by many documents (a full disk) is logged once,
	// with a count, at the end of the pass.
	var errs errorTally
	defer errs.log(ctx, e.Log, slog.LevelError)
	for {
		batch, err := e.Store.Pending(ctx, 500+len(failed))
		if err != nil {
			return out, fmt.Errorf("listing pending documents: %w", err)
		}
		docs := batch[:0]
		for _, d := range batch {
			if !failed[d.ID] {
				docs = append(docs, d)
			}
		}
		if len(docs) == 0 {
			return out, firstErr
		}
		slices.SortStableFunc(docs, func(a, b corpus.Document) int {
			if c := a.Published.Compare(b.Published); c != 0 {
				return c
			}
			if c := strings.Compare(a.Path, b.Path); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		for _, d := range docs {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			o, err := e.Process(ctx, d)
			if err != nil {
				// It stays pending and is tried again next scan; the rest
				// of the pass goes on.
				errs.add("document not processed; will retry", err, "id", d.ID, "path", d.Path)
				failed[d.ID] = true
				if firstErr == nil {
					firstErr = fmt.Errorf("processing %s (%s): %w", d.ID, d.Path, err)
				}
				continue
			}
			out = append(out, o)
		}
	}
}

// Process analyses one stored document, detects copies, places it in
// stories and enqueues the resulting messages, then marks it processed. It
// is idempotent: processing a document again enqueues nothing new.
func (e *Engine) Process(ctx context.Context, d corpus.Document) (Outcome, error) {
	o := Outcome{Doc: d, Stories: map[string]int64{}}
	text := d.Text()
	o.Analysis = e.Analyzer.Analyze(text)
	if err := e.Store.SetAnalysis(ctx, d.ID, o.Analysis); err != nil {
		return o, fmt.Errorf("storing analysis: %w", err)
	}
	if e.Copies != nil {
		orig, err := e.Copies.Check(ctx, d.ID, text)
		if err != nil {
			return o, fmt.Errorf("copy detection: %w", err)
		}
		if orig != "" && orig != d.ID {
			o.CopyOf = orig
			if err := e.Store.SetCopyOf(ctx, d.ID, orig); err != nil {
				return o, fmt.Errorf("recording copy: %w", err)
			}
		}
	}
	var mutes []store.Mute
	if len(o.Analysis.Matches) > 0 {
		var err error
		if mutes, err = e.Store.Mutes(ctx, e.Clock.Now()); err != nil {
			return o, fmt.Errorf("reading mutes: %w", err)
		}
	}
	for _, m := range o.Analysis.Matches {
		rule := e.rule(m.Rule)
		if rule == nil {
			continue
		}
		id, n, err := e.place(ctx, d, o.CopyOf, rule, m, mutes, o.Analysis.Regions)
		if err != nil {
			return o, fmt.Errorf("rule %s: %w", m.Rule, err)
		}
		o.Stories[m.Rule] = id
		o.Enqueued += n
	}
	if err := e.Store.MarkProcessed(ctx, d.ID); err != nil {
		return o, fmt.Errorf("marking processed: %w", err)
	}
	if o.Enqueued > 0 && e.Notify != nil {
		e.Notify()
	}
	return o, nil
}

func (e *Engine) rule(name string) *rules.Rule {
	for i := range e.Rules.Rules {
		if e.Rules.Rules[i].Name == name {
			return &e.Rules.Rules[i]
		}
	}
	return nil
}

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
// update otherwise. It returns the story and how many rows it touched.
func (e *Engine) place(ctx context.Context, d corpus.Document, copyOf string, r *rules.Rule, m corpus.DocMatch, mutes []store.Mute, regions []corpus.DocRegion) (int64, int, error) {
	if copyOf != "" {
		st, ok, err := e.storyOf(ctx, copyOf, r.Name)
		if err != nil {
			return 0, 0, err
		}
		if ok {
			if err := e.Store.AddToStory(ctx, st.ID, store.StoryMember{DocID: d.ID, Published: d.Published, CopyOf: copyOf}); err != nil {
				return 0, 0, fmt.Errorf("adding copy to story: %w", err)
			}
			n, err := e.enqueueEdits(ctx, st, d.ID, copyOf, r)
			return st.ID, n, err
		}
	}
	// A document already in a story of this rule (reprocessed after a
	// crash) keeps its story.
	if st, ok, err := e.storyOf(ctx, d.ID, r.Name); err != nil {
		return 0, 0, err
	} else if ok {
		n, err := e.enqueueForMember(ctx, st, d, r, mutes, m, regions)
		return st.ID, n, err
	}
	key := m.GroupKey
	if key == "" || key == "none" {
		// A document naming no place has nothing to group it by: it is a
		// story of its own (its copies still join it), rather than every
		// placeless report chaining into one story.
		key = "doc:" + d.ID
	}
	st, err := e.Store.FindStory(ctx, r.Name, key, d.Published, groupWindow(r))
	if errors.Is(err, store.ErrNotFound) {
		st, err = e.Store.CreateStory(ctx, store.Story{
			Rule: r.Name, Key: key, KeyName: m.GroupName,
			First: d.Published, Last: d.Published, CreatedAt: e.Clock.Now(),
		})
		if err == nil {
			e.Metrics.Use().StoriesOpened.Inc(r.Name)
		}
	}
	if err != nil {
		return 0, 0, fmt.Errorf("finding story: %w", err)
	}
	if err := e.Store.AddToStory(ctx, st.ID, store.StoryMember{DocID: d.ID, Published: d.Published}); err != nil {
		return 0, 0, fmt.Errorf("adding to story: %w", err)
	}
	n, err := e.enqueueForMember(ctx, st, d, r, mutes, m, regions)
	return st.ID, n, err
}

// storyOf returns the story of rule that holds doc.
func (e *Engine) storyOf(ctx context.Context, doc, rule string) (store.Story, bool, error) {
	stories, err := e.Store.StoriesOf(ctx, doc)
	if err != nil {
		return store.Story{}, false, fmt.Errorf("stories of %s: %w", doc, err)
	}
	for _, s := range stories {
		if s.Rule == rule {
			return s, true, nil
		}
	}
	return store.Story{}, false, nil
}

// enqueueForMember enqueues, per destination, the alert when d leads the
// story, or adds d to the destination's open thread reply.
func (e *Engine) enqueueForMember(ctx context.Context, st store.Story, d corpus.Document, r *rules.Rule, mutes []store.Mute, m corpus.DocMatch, regions []corpus.DocRegion) (int, error) {
	n := 0
	for _, dest := range e.dests(r) {
		if e.DryRun {
			continue
		}
		akey := alertKey(st.ID, dest)
		arow, err := e.Store.OutboxRow(ctx, akey)
		alertExists := err == nil
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return n, fmt.Errorf("reading alert row: %w", err)
		}
		if alertExists {
			// Reprocessed after a crash: the alert may already carry d.
			if rf, err := decodeRef(arow.Payload); err == nil && slices.Contains(rf.Docs, d.ID) {
				if err := e.Store.SetState(ctx, carrierState(st.ID, dest, d.ID), akey); err != nil {
					return n, fmt.Errorf("recording carrier: %w", err)
				}
				continue
			}
		}
		if mu := muteOf(mutes, dest, st.ID, r.Name, m, regions); mu != nil {
			// Muted here: not posted, but counted (for /status and
			// /mutes). When the mute ends, the next report posts: the
			// alert when none was posted, else a reply in its thread.
			if err := e.recordMuted(ctx, st, dest, d, alertExists, mu); err != nil {
				return n, err
			}
			continue
		}
		if !alertExists {
			// No alert here yet: this report opens the story in this
			// destination (a new story, or one alerted while muted here).
			ins, err := e.Store.Enqueue(ctx, store.OutboxRow{
				Key: akey, Transport: dest.Transport, Channel: dest.Channel, Kind: store.OutboxAlert,
				StoryID: st.ID, Payload: ref{Rule: r.Name, Story: st.ID, Docs: []string{d.ID}}.encode(),
			})
			if err != nil {
				return n, fmt.Errorf("enqueueing alert: %w", err)
			}
			if err := e.Store.SetState(ctx, carrierState(st.ID, dest, d.ID), akey); err != nil {
				return n, fmt.Errorf("recording carrier: %w", err)
			}
			if ins {
				n++
			}
			continue
		}
		added, err := e.addToUpdate(ctx, st, dest, d.ID, akey, r)
		if err != nil {
			return n, err
		}
		if added {
			n++
		}
	}
	k, err := e.notifyFollowers(ctx, st, d, r)
	return n + k, err
}

// addToUpdate adds doc to the destination's open reply while that is still
// waiting to be sent; otherwise it enqueues a new reply, due one update
// interval from now, so every report arriving meanwhile joins it (as
// Alertmanager's group_interval batches notifications). The reply threads
// under the row whose key is parent ("": a message of its own, as the
// private reports to a story's followers are).
func (e *Engine) addToUpdate(ctx context.Context, st store.Story, dest Dest, doc, parent string, r *rules.Rule) (bool, error) {
	cstate := carrierState(st.ID, dest, doc)
	if _, err := e.Store.GetState(ctx, cstate); err == nil {
		return false, nil // already carried
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("reading carrier: %w", err)
	}
	now := e.Clock.Now()
	// Reprocessed after a crash: a reply may already carry doc.
	if _, err := e.Store.OutboxRow(ctx, updateKey(st.ID, dest, doc)); err == nil {
		return false, e.Store.SetState(ctx, cstate, updateKey(st.ID, dest, doc))
	}
	if key, err := e.Store.GetState(ctx, openUpdateState(st.ID, dest)); err == nil {
		row, err := e.Store.OutboxRow(ctx, key)
		if err != nil {
			return false, fmt.Errorf("reading open reply: %w", err)
		}
		rf, err := decodeRef(row.Payload)
		if err != nil {
			return false, err
		}
		if slices.Contains(rf.Docs, doc) {
			return false, e.Store.SetState(ctx, cstate, key)
		}
		// A reply whose last send had no answer may be posted already:
		// what it did not carry then goes in a new reply.
		if row.State == store.Pending && !store.IsUnknownOutcome(row.LastError) {
			rf.Docs = append(rf.Docs, doc)
			ok, err := e.Store.UpdatePending(ctx, row.ID, rf.encode())
			if err != nil {
				return false, fmt.Errorf("extending reply: %w", err)
			}
			if !ok {
				goto fresh // claimed for delivery meanwhile
			}
			if err := e.Store.SetState(ctx, cstate, key); err != nil {
				return false, fmt.Errorf("recording carrier: %w", err)
			}
			return true, nil
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("reading open reply: %w", err)
	}
fresh:
	key := updateKey(st.ID, dest, doc)
	if _, err := e.Store.Enqueue(ctx, store.OutboxRow{
		Key: key, Transport: dest.Transport, Channel: dest.Channel, Kind: store.OutboxUpdate,
		StoryID: st.ID, ParentKey: parent, Due: now.Add(updateInterval(r)),
		Payload: ref{Rule: r.Name, Story: st.ID, Docs: []string{doc}}.encode(),
	}); err != nil {
		return false, fmt.Errorf("enqueueing reply: %w", err)
	}
	if err := e.Store.SetState(ctx, openUpdateState(st.ID, dest), key); err != nil {
		return false, fmt.Errorf("recording open reply: %w", err)
	}
	if err := e.Store.SetState(ctx, cstate, key); err != nil {
		return false, fmt.Errorf("recording carrier: %w", err)
	}
	return true, nil
}

// enqueueEdits enqueues, per destination that carries the original, an
// edit of the message carrying it: the copy raises its source count.
func (e *Engine) enqueueEdits(ctx context.Context, st store.Story, doc, orig string, r *rules.Rule) (int, error) {
	n := 0
	for _, dest := range e.dests(r) {
		if e.DryRun {
			continue
		}
		carrier, err := e.Store.GetState(ctx, carrierState(st.ID, dest, orig))
		if errors.Is(err, store.ErrNotFound) {
			continue // the original never went there (muted, or added later)
		}
		if err != nil {
			return n, fmt.Errorf("reading carrier: %w", err)
		}
		ins, err := e.Store.Enqueue(ctx, store.OutboxRow{
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
