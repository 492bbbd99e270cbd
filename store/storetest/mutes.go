package storetest

import (
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// mute stores m and returns it as stored.
func (e *env) mute(s store.Store, m store.Mute) store.Mute {
	e.t.Helper()
	got, err := s.Mute(e.ctx, m)
	e.must(err, "Mute")
	return got
}

// mutesAt returns the mutes in force at now, never nil.
func (e *env) mutesAt(s store.Store, now time.Time) []store.Mute {
	e.t.Helper()
	got, err := s.Mutes(e.ctx, now)
	e.must(err, "Mutes")
	if got == nil {
		got = []store.Mute{}
	}
	return got
}

func testMutes(e *env) {
	s := e.open()
	now := at(12 * time.Hour)
	e.clock.Set(now)
	made := map[string]store.Mute{}
	for _, m := range []store.Mute{
		{Transport: "slack", Channel: "C1", Target: "admin1:AF.02", Label: "Badghis", Until: now.Add(time.Hour), By: "U1", ByName: "@alice"},
		{Transport: "slack", Channel: "C1", Target: "rule:assault", Label: "rule assault", Until: now.Add(-time.Minute)},
		{Transport: "slack", Channel: "C2", Target: "admin1:AF.02", Label: "Badghis", Until: now.Add(2 * time.Hour)},
		{Transport: "telegram", Channel: "-100", Target: "story:7", Label: "story #7", Until: now, By: "42", ByName: "Analyst"},
		{Transport: "slack", Channel: "C0", Target: "rule:x&group:AF.02", Label: "x in Badghis", Until: now.Add(time.Microsecond)},
	} {
		got := e.mute(s, m)
		if got.ID <= 0 {
			e.t.Errorf("Mute of %s returned ID %d, want a positive id", m.Target, got.ID)
		}
		want := m
		want.ID, want.CreatedAt = got.ID, now
		e.equal("Mute returns the mute as stored", got, want)
		made[m.Channel+" "+m.Target] = got
	}
	ids := map[int64]bool{}
	for _, m := range made {
		if ids[m.ID] {
			e.t.Errorf("two mutes share id %d", m.ID)
		}
		ids[m.ID] = true
	}
	e.equal("Mutes in force", e.mutesAt(s, now), []store.Mute{
		made["C0 rule:x&group:AF.02"], made["C1 admin1:AF.02"], made["C2 admin1:AF.02"],
	})
	e.equal("Mutes an hour later", e.mutesAt(s, now.Add(time.Hour)), []store.Mute{made["C2 admin1:AF.02"]})
	e.equal("Mutes a day later", e.mutesAt(s, now.Add(24*time.Hour)), []store.Mute{})

	// Muting again replaces time, label, author and CreatedAt and keeps the
	// id; it can end a mute early.
	e.clock.Set(now.Add(time.Minute))
	again := e.mute(s, store.Mute{Transport: "slack", Channel: "C1", Target: "rule:assault", Label: "assault",
		Until: now.Add(time.Hour), By: "U2", ByName: "@bob"})
	if again.ID != made["C1 rule:assault"].ID || !again.CreatedAt.Equal(now.Add(time.Minute)) {
		e.t.Errorf("muting again: id %d created %v, want the first mute's %d and %v", again.ID, again.CreatedAt,
			made["C1 rule:assault"].ID, now.Add(time.Minute))
	}
	e.mute(s, store.Mute{Transport: "slack", Channel: "C2", Target: "admin1:AF.02", Until: now})
	c1 := made["C1 admin1:AF.02"]
	e.equal("Mutes after muting again", e.mutesAt(s, now), []store.Mute{made["C0 rule:x&group:AF.02"], c1, again})
}

func testUnmute(e *env) {
	s := e.open()
	now := at(time.Hour)
	a := e.mute(s, store.Mute{Transport: "slack", Channel: "C1", Target: "story:3", Label: "story #3", Until: now.Add(time.Hour), By: "U1"})
	b := e.mute(s, store.Mute{Transport: "slack", Channel: "C1", Target: "rule:r", Until: now.Add(time.Hour)})

	_, err := s.Unmute(e.ctx, "slack", "C2", a.ID)
	e.notFound(err, "Unmute from another channel")
	_, err = s.Unmute(e.ctx, "telegram", "C1", a.ID)
	e.notFound(err, "Unmute from another transport")
	_, err = s.Unmute(e.ctx, "slack", "C1", a.ID+b.ID+100)
	e.notFound(err, "Unmute of an unknown id")
	e.equal("Mutes after refused unmutes", len(e.mutesAt(s, now)), 2)

	got, err := s.Unmute(e.ctx, "slack", "C1", a.ID)
	e.must(err, "Unmute")
	e.equal("Unmute returns the mute lifted", got, a)
	e.equal("Mutes after Unmute", e.mutesAt(s, now), []store.Mute{b})
	_, err = s.Unmute(e.ctx, "slack", "C1", a.ID)
	e.notFound(err, "Unmute twice")

	// The same target muted again gets a new id: the old Undo cannot lift it.
	c := e.mute(s, store.Mute{Transport: "slack", Channel: "C1", Target: "story:3", Until: now.Add(time.Hour)})
	if c.ID == a.ID || c.ID == b.ID {
		e.t.Errorf("a new mute reuses id %d", c.ID)
	}
	_, err = s.Unmute(e.ctx, "slack", "C1", a.ID)
	e.notFound(err, "Unmute with the id of a lifted mute")
}

func testMutedReports(e *env) {
	s := e.open()
	h := time.Hour
	for _, r := range []store.MutedReport{
		{Transport: "slack", Channel: "C1", Story: 1, Doc: "d1", Kind: store.OutboxAlert, MuteID: 1, At: at(h)},
		{Transport: "slack", Channel: "C1", Story: 1, Doc: "d2", Kind: store.OutboxUpdate, MuteID: 1, At: at(2 * h)},
		{Transport: "slack", Channel: "C1", Story: 1, Doc: "d2", Kind: store.OutboxUpdate, MuteID: 1, At: at(3 * h)},
		{Transport: "slack", Channel: "C1", Story: 2, Doc: "d2", Kind: store.OutboxAlert, MuteID: 2, At: at(3 * h)},
		{Transport: "slack", Channel: "C2", Story: 1, Doc: "d1", Kind: store.OutboxAlert, MuteID: 3, At: at(h)},
		{Transport: "telegram", Channel: "C1", Story: 1, Doc: "d3", Kind: store.OutboxUpdate, MuteID: 4, At: at(4 * h)},
	} {
		e.must(s.RecordMuted(e.ctx, r), "RecordMuted")
	}
	count := func(transport, channel string, since time.Time) map[store.OutboxKind]int {
		e.t.Helper()
		got, err := s.CountMuted(e.ctx, transport, channel, since)
		e.must(err, "CountMuted")
		return got
	}
	all := map[store.OutboxKind]int{store.OutboxAlert: 3, store.OutboxUpdate: 2}
	e.equal("CountMuted of every channel", count("", "", Epoch), all)
	e.equal("CountMuted of slack/C1", count("slack", "C1", Epoch),
		map[store.OutboxKind]int{store.OutboxAlert: 2, store.OutboxUpdate: 1})
	e.equal("CountMuted of slack/C1 since the second hour", count("slack", "C1", at(2*h)),
		map[store.OutboxKind]int{store.OutboxAlert: 1, store.OutboxUpdate: 1})
	e.equal("CountMuted of telegram/C1", count("telegram", "C1", Epoch), map[store.OutboxKind]int{store.OutboxUpdate: 1})
	e.equal("CountMuted of a quiet channel", count("slack", "C9", Epoch), map[store.OutboxKind]int{})
	e.equal("CountMuted since later", count("", "", at(5*h)), map[store.OutboxKind]int{})
}

func testFollows(e *env) {
	s := e.open()
	e.clock.Set(at(time.Hour))
	follows := []store.Follow{
		{Transport: "slack", User: "U2", UserName: "@bob", Story: 7, Channel: "C1", Direct: "D2"},
		{Transport: "telegram", User: "42", UserName: "Analyst", Story: 7, Channel: "-100", Direct: "42"},
		{Transport: "slack", User: "U1", UserName: "@alice", Story: 7, Channel: "C1", Direct: "D1"},
		{Transport: "slack", User: "U1", UserName: "@alice", Story: 3, Channel: "C2", Direct: "D1"},
	}
	for _, f := range follows {
		e.must(s.Follow(e.ctx, f), "Follow")
	}
	stamped := func(f store.Follow, t time.Time) store.Follow { f.CreatedAt = t; return f }
	followers := func(story int64) []store.Follow {
		e.t.Helper()
		got, err := s.Followers(e.ctx, story)
		e.must(err, "Followers")
		if got == nil {
			got = []store.Follow{}
		}
		return got
	}
	e.equal("Followers", followers(7), []store.Follow{stamped(follows[2], at(time.Hour)), stamped(follows[0], at(time.Hour)),
		stamped(follows[1], at(time.Hour))})
	e.equal("Followers of a story nobody follows", followers(9), []store.Follow{})
	of, err := s.FollowsOf(e.ctx, "slack", "U1")
	e.must(err, "FollowsOf")
	e.equal("FollowsOf", of, []store.Follow{stamped(follows[3], at(time.Hour)), stamped(follows[2], at(time.Hour))})

	// Following again replaces where the reports go, not when it began.
	e.clock.Set(at(2 * time.Hour))
	moved := follows[0]
	moved.Direct, moved.Channel = "D9", "C3"
	e.must(s.Follow(e.ctx, moved), "Follow again")
	got := followers(7)
	e.equal("Followers after following again", got[1], stamped(moved, at(time.Hour)))

	e.must(s.Unfollow(e.ctx, "slack", "U1", 7), "Unfollow")
	e.notFound(s.Unfollow(e.ctx, "slack", "U1", 7), "Unfollow twice")
	e.notFound(s.Unfollow(e.ctx, "telegram", "U2", 7), "Unfollow on another transport")
	e.equal("Followers after Unfollow", len(followers(7)), 2)
	of, err = s.FollowsOf(e.ctx, "slack", "U1")
	e.must(err, "FollowsOf")
	e.equal("FollowsOf after Unfollow", len(of), 1)
}

func testActionRefs(e *env) {
	s1, s2 := e.open(), e.open()
	e.clock.Set(at(time.Hour))
	in := store.ActionRef{Transport: "telegram", Channel: "-100", Story: 7, Rule: "assault",
		Scope: "rule:assault&group:AF.02", ScopeLabel: "assault in Badghis"}
	_, err := s1.ActionRef(e.ctx, "unknown")
	e.notFound(err, "ActionRef of an unknown id")

	// Two replicas asking at once get one ref.
	refs := make([]store.ActionRef, 8)
	errs := make(chan error, len(refs))
	for i := range refs {
		go func() {
			s := s1
			if i%2 == 1 {
				s = s2
			}
			var err error
			refs[i], err = s.PutActionRef(e.ctx, in)
			errs <- err
		}()
	}
	for range refs {
		e.must(<-errs, "PutActionRef")
	}
	first := refs[0]
	if len(first.ID) < 10 || len(first.ID) > 16 {
		e.t.Errorf("ref id %q: want a short random id", first.ID)
	}
	want := in
	want.ID, want.CreatedAt = first.ID, at(time.Hour)
	e.equal("PutActionRef", first, want)
	for i, r := range refs {
		e.equal("PutActionRef from replica "+string(rune('0'+i)), r, first)
	}
	got, err := s2.ActionRef(e.ctx, first.ID)
	e.must(err, "ActionRef")
	e.equal("ActionRef", got, first)

	// The same story in another channel has a ref of its own; asking again
	// with other fields changes nothing.
	other := in
	other.Channel = "-200"
	o, err := s1.PutActionRef(e.ctx, other)
	e.must(err, "PutActionRef")
	if o.ID == first.ID {
		e.t.Errorf("two channels share ref %q", o.ID)
	}
	changed := in
	changed.Rule = "other"
	again, err := s1.PutActionRef(e.ctx, changed)
	e.must(err, "PutActionRef again")
	e.equal("PutActionRef again", again, first)
}

// testInteractiveRestart checks that mutes, follows and refs survive a
// restart, and that mute ids are not reused after one.
func testInteractiveRestart(e *env) {
	s := e.open()
	now := at(time.Hour)
	m := e.mute(s, store.Mute{Transport: "slack", Channel: "C1", Target: "story:1", Until: now.Add(time.Hour)})
	lifted := e.mute(s, store.Mute{Transport: "slack", Channel: "C1", Target: "story:2", Until: now.Add(time.Hour)})
	_, err := s.Unmute(e.ctx, "slack", "C1", lifted.ID)
	e.must(err, "Unmute")
	e.must(s.Follow(e.ctx, store.Follow{Transport: "slack", User: "U1", Story: 1, Direct: "D1"}), "Follow")
	ref, err := s.PutActionRef(e.ctx, store.ActionRef{Transport: "slack", Channel: "C1", Story: 1})
	e.must(err, "PutActionRef")
	e.must(s.RecordMuted(e.ctx, store.MutedReport{Transport: "slack", Channel: "C1", Story: 1, Doc: "d",
		Kind: store.OutboxAlert, MuteID: m.ID, At: now}), "RecordMuted")
	e.must(s.Close(), "Close")

	s = e.open()
	e.equal("Mutes after a restart", e.mutesAt(s, now), []store.Mute{m})
	f, err := s.Followers(e.ctx, 1)
	e.must(err, "Followers")
	e.equal("Followers after a restart", len(f), 1)
	got, err := s.ActionRef(e.ctx, ref.ID)
	e.must(err, "ActionRef")
	e.equal("ActionRef after a restart", got, ref)
	n, err := s.CountMuted(e.ctx, "", "", Epoch)
	e.must(err, "CountMuted")
	e.equal("CountMuted after a restart", n, map[store.OutboxKind]int{store.OutboxAlert: 1})
	if again := e.mute(s, store.Mute{Transport: "slack", Channel: "C1", Target: "story:3", Until: now.Add(time.Hour)}); again.ID <= lifted.ID {
		e.t.Errorf("mute id %d after a restart, want more than the lifted mute's %d", again.ID, lifted.ID)
	}
}
