package storetest

import (
	"time"

	"github.com/wirewatch/wirewatch/store"
)

func testCopyOf(e *env) {
	s := e.open()
	orig, err := s.CopyOf(e.ctx, "b")
	e.must(err, "CopyOf")
	e.equal("CopyOf of no copy", orig, "")
	e.must(s.SetCopyOf(e.ctx, "b", "a"), "SetCopyOf")
	e.must(s.SetCopyOf(e.ctx, "c", "a"), "SetCopyOf")
	orig, err = s.CopyOf(e.ctx, "b")
	e.must(err, "CopyOf")
	e.equal("CopyOf", orig, "a")
	e.must(s.SetCopyOf(e.ctx, "b", "z"), "SetCopyOf again")
	orig, err = s.CopyOf(e.ctx, "b")
	e.must(err, "CopyOf")
	e.equal("CopyOf after a second SetCopyOf", orig, "z")
	orig, err = s.CopyOf(e.ctx, "a")
	e.must(err, "CopyOf")
	e.equal("CopyOf of an original", orig, "")
}

// story creates a story or fails the test.
func (e *env) story(s store.Store, rule, key string, first, last time.Time) store.Story {
	e.t.Helper()
	st, err := s.CreateStory(e.ctx, store.Story{Rule: rule, Key: key, KeyName: key + " name", First: first, Last: last})
	e.must(err, "CreateStory")
	return st
}

func testFindStory(e *env) {
	s := e.open()
	h := time.Hour
	e.clock.Set(at(30 * time.Minute))
	s1 := e.story(s, "assault", "AF.02", at(10*h), at(12*h))
	if s1.ID == 0 {
		e.t.Errorf("CreateStory left ID zero")
	}
	e.equal("CreateStory", s1, store.Story{ID: s1.ID, Rule: "assault", Key: "AF.02", KeyName: "AF.02 name",
		First: at(10 * h), Last: at(12 * h), CreatedAt: at(30 * time.Minute)})
	got, err := s.Story(e.ctx, s1.ID)
	e.must(err, "Story")
	e.equal("Story", got, s1)
	_, err = s.Story(e.ctx, s1.ID+100)
	e.notFound(err, "Story of an unknown ID")

	s2 := e.story(s, "assault", "AF.02", at(14*h), at(15*h))
	e.story(s, "assault", "AF.11", at(10*h), at(12*h))
	e.story(s, "other", "AF.02", at(10*h), at(12*h))

	cases := []struct {
		name   string
		rule   string
		key    string
		t      time.Time
		window time.Duration
		want   int64 // 0: not found
	}{
		{"inside", "assault", "AF.02", at(11 * h), h, s1.ID},
		{"after last, inside the window", "assault", "AF.02", at(12*h + 30*time.Minute), h, s1.ID},
		{"at last+window", "assault", "AF.02", at(13 * h), h, s1.ID},
		{"just after last+window", "assault", "AF.02", at(13*h + time.Second), 59 * time.Minute, 0},
		{"before first, inside the window (an older report)", "assault", "AF.02", at(9*h + 30*time.Minute), h, s1.ID},
		{"at first-window", "assault", "AF.02", at(9 * h), h, s1.ID},
		{"just before first-window", "assault", "AF.02", at(9*h - time.Microsecond), h, 0},
		{"no window", "assault", "AF.02", at(12 * h), 0, s1.ID},
		{"both windows: nearest last", "assault", "AF.02", at(13 * h), 2 * h, s1.ID},
		{"both windows: nearest last (later)", "assault", "AF.02", at(14*h + 30*time.Minute), 3 * h, s2.ID},
		{"between, nearer the earlier story's last", "assault", "AF.02", at(12*h + 50*time.Minute), 4 * h, s1.ID},
		{"other key", "assault", "AF.13", at(11 * h), h, 0},
		{"other rule", "unknown", "AF.02", at(11 * h), h, 0},
		{"long before", "assault", "AF.02", at(-48 * h), 24 * h, 0},
	}
	for _, tc := range cases {
		got, err := s.FindStory(e.ctx, tc.rule, tc.key, tc.t, tc.window)
		if tc.want == 0 {
			e.notFound(err, "FindStory "+tc.name)
			continue
		}
		if err != nil {
			e.t.Errorf("FindStory %s: %v", tc.name, err)
			continue
		}
		e.equal("FindStory "+tc.name, got.ID, tc.want)
	}
	got, err = s.FindStory(e.ctx, "assault", "AF.02", at(11*h), h)
	e.must(err, "FindStory")
	e.equal("FindStory story", got, s1)
}

func testAddToStory(e *env) {
	s := e.open()
	h := time.Hour
	st := e.story(s, "assault", "AF.02", at(10*h), at(12*h))
	other := e.story(s, "assault", "AF.11", at(10*h), at(12*h))

	add := func(id int64, m store.StoryMember) {
		e.t.Helper()
		e.must(s.AddToStory(e.ctx, id, m), "AddToStory "+m.DocID)
	}
	add(st.ID, store.StoryMember{DocID: "d2", Published: at(11 * h)})
	add(st.ID, store.StoryMember{DocID: "d1", Published: at(9 * h)}) // an older report widens First
	add(st.ID, store.StoryMember{DocID: "d3", Published: at(13 * h), CopyOf: "d2"})
	add(st.ID, store.StoryMember{DocID: "d0", Published: at(11 * h)}) // ties d2: by DocID
	add(st.ID, store.StoryMember{DocID: "d3", Published: at(20 * h)}) // again: a no-op
	add(other.ID, store.StoryMember{DocID: "d2", Published: at(11 * h)})

	got, err := s.Story(e.ctx, st.ID)
	e.must(err, "Story")
	e.equal("First", got.First, at(9*h))
	e.equal("Last", got.Last, at(13*h))
	members, err := s.StoryMembers(e.ctx, st.ID)
	e.must(err, "StoryMembers")
	e.equal("StoryMembers", members, []store.StoryMember{
		{DocID: "d1", Published: at(9 * h)},
		{DocID: "d0", Published: at(11 * h)},
		{DocID: "d2", Published: at(11 * h)},
		{DocID: "d3", Published: at(13 * h), CopyOf: "d2"},
	})
	got, err = s.Story(e.ctx, other.ID)
	e.must(err, "Story")
	e.equal("a story not added to", [2]time.Time{got.First, got.Last}, [2]time.Time{at(10 * h), at(12 * h)})

	of, err := s.StoriesOf(e.ctx, "d2")
	e.must(err, "StoriesOf")
	if len(of) == 2 {
		e.equal("StoriesOf", [2]int64{of[0].ID, of[1].ID}, [2]int64{st.ID, other.ID})
		e.equal("StoriesOf story", of[1], other)
	} else {
		e.t.Errorf("StoriesOf(d2) = %d stories, want 2", len(of))
	}
	of, err = s.StoriesOf(e.ctx, "nowhere")
	e.must(err, "StoriesOf")
	e.equal("StoriesOf a document in no story", len(of), 0)

	e.notFound(s.AddToStory(e.ctx, other.ID+100, store.StoryMember{DocID: "d1", Published: at(h)}),
		"AddToStory to an unknown story")
}

func testStories(e *env) {
	s := e.open()
	h := time.Hour
	e.clock.Set(at(-h)) // created before every range below
	a := e.story(s, "assault", "AF.02", at(1*h), at(5*h))
	b := e.story(s, "assault", "AF.11", at(1*h), at(8*h))
	c := e.story(s, "flood", "AF.02", at(2*h), at(6*h))
	d := e.story(s, "quake", "AF.13", at(2*h), at(6*h)) // ties c: newer ID first
	e.story(s, "assault", "AF.13", at(1*h), at(10*h))   // Last at until: outside
	// An old event the bot first saw at 07:00: selected by its CreatedAt.
	e.clock.Set(at(7 * h))
	f := e.story(s, "flood", "AF.11", at(-30*h), at(-24*h))

	storyIDs := func(rules []string, since, until time.Time, limit int) []int64 {
		e.t.Helper()
		got, err := s.Stories(e.ctx, rules, since, until, limit)
		e.must(err, "Stories")
		out := []int64{}
		for _, st := range got {
			out = append(out, st.ID)
		}
		return out
	}
	e.equal("all rules", storyIDs(nil, at(5*h), at(10*h), 10), []int64{b.ID, d.ID, c.ID, a.ID, f.ID})
	e.equal("one rule", storyIDs([]string{"assault"}, at(0), at(10*h), 10), []int64{b.ID, a.ID})
	e.equal("two rules", storyIDs([]string{"flood", "quake", "none"}, at(0), at(10*h), 10), []int64{d.ID, c.ID, f.ID})
	e.equal("since excludes earlier", storyIDs(nil, at(6*h), at(10*h), 10), []int64{b.ID, d.ID, c.ID, f.ID})
	e.equal("created in the range only", storyIDs(nil, at(7*h), at(8*h), 10), []int64{f.ID})
	e.equal("created before the range", storyIDs([]string{"flood"}, at(8*h), at(24*h), 10), []int64{})
	e.equal("limit", storyIDs(nil, at(0), at(10*h), 2), []int64{b.ID, d.ID})
	e.equal("empty range", storyIDs(nil, at(9*h), at(9*h), 10), []int64{})
	got, err := s.Stories(e.ctx, []string{"assault"}, at(0), at(6*h), 1)
	e.must(err, "Stories")
	if len(got) == 1 {
		e.equal("Stories story", got[0], a)
	}
	got, err = s.Stories(e.ctx, nil, at(7*h), at(8*h), 1)
	e.must(err, "Stories")
	if len(got) == 1 {
		e.equal("Stories story", got[0], f)
	}
}
