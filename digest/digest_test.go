package digest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/sqlite"
)

func TestBuildOrdersByReportsThenRecency(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2021, 7, 9, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now.Add(-time.Hour) }

	// Story sizes 1, 3, 2 (one copy); a story of another rule; an old story.
	mk := func(rule, key string, reports int, last time.Time, copyOf bool) int64 {
		st, err := db.CreateStory(ctx, store.Story{Rule: rule, Key: key, KeyName: key + " name", First: last, Last: last, CreatedAt: now.Add(-48 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		for i := range reports {
			d := corpus.Document{Title: fmt.Sprintf("%s report %d", key, i), Body: fmt.Sprintf("body %s %d", key, i), Source: fmt.Sprintf("outlet%d", i), Published: last}
			d.ID = corpus.ContentID(d.Text())
			if _, err := db.PutDocument(ctx, d); err != nil {
				t.Fatal(err)
			}
			m := store.StoryMember{DocID: d.ID, Published: last}
			if copyOf && i == reports-1 {
				m.CopyOf = "x"
			}
			if err := db.AddToStory(ctx, st.ID, m); err != nil {
				t.Fatal(err)
			}
		}
		return st.ID
	}
	one := mk("r", "one", 1, now.Add(-2*time.Hour), false)
	three := mk("r", "three", 3, now.Add(-5*time.Hour), false)
	two := mk("r", "two", 2, now.Add(-3*time.Hour), true)
	mk("other", "x", 5, now.Add(-time.Hour), false)
	mk("r", "old", 9, now.Add(-72*time.Hour), false)

	d, err := Build(ctx, db, Spec{Name: "daily", Rules: []string{"r"}, Since: now.Add(-Period), Until: now})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, e := range d.Entries {
		got = append(got, e.Story.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint([]int64{three, two, one}) {
		t.Fatalf("order %v, want %v", got, []int64{three, two, one})
	}
	if d.Entries[1].Copies != 1 || d.Entries[0].Reports != 3 || len(d.Entries[0].Outlets) != 3 {
		t.Fatalf("entries %+v", d.Entries)
	}

	d, _ = Build(ctx, db, Spec{Name: "daily", Rules: []string{"r"}, Since: now.Add(-Period), Until: now, Max: 2})
	m := d.Message()
	if m.Kind != chat.KindDigest || len(m.Items) != 2 || d.Omitted != 1 || !strings.Contains(m.Text, "1 more not shown") {
		t.Fatalf("max 2: %d items, omitted %d, text %q", len(m.Items), d.Omitted, m.Text)
	}
	if !strings.HasPrefix(m.Items[0].Title, fmt.Sprintf("#%d ", three)) || !strings.Contains(m.Items[0].Source, "3 reports from outlet0") {
		t.Fatalf("item %+v", m.Items[0])
	}

	empty, _ := Build(ctx, db, Spec{Name: "daily", Rules: []string{"nothing"}, Since: now.Add(-Period), Until: now})
	if m := empty.Message(); len(m.Items) != 0 || !strings.HasPrefix(m.Text, "No new stories") {
		t.Fatalf("empty digest: %+v", m)
	}
}
