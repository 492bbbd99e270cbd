package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// TestBurstIsOneBoundedReply checks that a burst of reports to a story
// makes one reply per channel whose row does not grow: its reports are
// rows of their own, it shows MaxReplyItems of them and says how many
// more there are and which command lists them; /reports pages through
// them all.
func TestBurstIsOneBoundedReply(t *testing.T) {
	ctx := context.Background()
	f := newEngineFixture(t)
	const burst = 25
	var docs []corpus.Document
	for i := range burst + 1 {
		d := corpus.Document{ID: fmt.Sprintf("%032x", i+1), Source: fmt.Sprintf("outlet-%d", i),
			Title: fmt.Sprintf("Report %02d", i), Body: fmt.Sprintf("Report number %d from the front.", i),
			Published: day(7).Add(time.Duration(i) * time.Minute)}
		if _, err := f.store.PutDocument(ctx, d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	outs, err := processAll(ctx, f.engine)
	if err != nil || len(outs) != burst+1 {
		t.Fatalf("%d outcomes, %v", len(outs), err)
	}
	var reply store.OutboxRow
	n := 0
	for _, r := range f.rowsOf(docs) {
		if r.Kind == store.OutboxUpdate && r.Transport == "slack" {
			reply = r
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d slack replies, want 1", n)
	}
	if got := len(f.carried(reply)); got != burst {
		t.Errorf("the reply carries %d reports, want %d", got, burst)
	}
	if want := (ref{Rule: "assault", Story: reply.StoryID, Docs: []string{docs[1].ID}}).encode(); string(reply.Payload) != string(want) {
		t.Errorf("reply payload %s, want it unchanged by later reports: %s", reply.Payload, want)
	}
	m, err := (&Renderer{Store: f.store}).Render(ctx, reply)
	if err != nil {
		t.Fatal(err)
	}
	wantText := fmt.Sprintf("Story #%d: %d more reports (the first %d below; %d more: /reports %d lists them all)",
		reply.StoryID, burst, MaxReplyItems, burst-MaxReplyItems, reply.StoryID)
	if m.Text != wantText || len(m.Items) != MaxReplyItems || m.Items[0].Title != "Report 01" {
		t.Errorf("reply renders %q with %d items (first %q), want %q with %d", m.Text, len(m.Items),
			m.Items[0].Title, wantText, MaxReplyItems)
	}

	r := &Router{Store: f.store, Rules: f.engine.Rules, Places: testGazetteer(), Clock: f.clock,
		Log: f.engine.Log, Started: f.clock.Now()}
	ask := func(args string) chat.Message {
		return r.HandleCommand(ctx, chat.Command{Transport: "slack", Channel: "C1", User: "U1", Name: "reports", Args: args})
	}
	id := reply.StoryID
	for _, tc := range []struct {
		args, text string
		first      string
		items      int
	}{
		{fmt.Sprint(id), fmt.Sprintf("Story #%d: reports 1 to 10 of 26; /reports %d 2 for the next 10", id, id), "Report 00", 10},
		{fmt.Sprintf("#%d 3", id), fmt.Sprintf("Story #%d: reports 21 to 26 of 26", id), "Report 20", 6},
		{fmt.Sprintf("%d 4", id), fmt.Sprintf("Story #%d has 26 reports: 3 pages.", id), "", 0},
		{"999", "There is no story #999.", "", 0},
		{"", "Usage: /reports <story> [page]", "", 0},
		{"x 2", "Usage: /reports <story> [page]", "", 0},
	} {
		m := ask(tc.args)
		if !strings.HasPrefix(m.Text, tc.text) || len(m.Items) != tc.items ||
			tc.items > 0 && m.Items[0].Title != tc.first {
			t.Errorf("/reports %s: %q with %d items, want %q with %d from %q", tc.args, m.Text, len(m.Items),
				tc.text, tc.items, tc.first)
		}
	}
}

// rowsOf returns the outbox rows of the story of docs[0] in the
// fixture's destinations: the alert, then the replies docs opened.
func (f *engineFixture) rowsOf(docs []corpus.Document) []store.OutboxRow {
	f.t.Helper()
	ctx := context.Background()
	stories, err := f.store.StoriesOf(ctx, docs[0].ID)
	if err != nil || len(stories) == 0 {
		f.t.Fatalf("stories of the first document: %v", err)
	}
	var out []store.OutboxRow
	for _, dests := range f.engine.Routes {
		for _, d := range dests {
			if r, err := f.store.OutboxRow(ctx, alertKey(stories[0].ID, d)); err == nil {
				out = append(out, r)
			}
			for _, doc := range docs {
				if r, err := f.store.OutboxRow(ctx, updateKey(stories[0].ID, d, doc.ID)); err == nil {
					out = append(out, r)
				}
			}
		}
	}
	return out
}
