package slack

import (
	"encoding/json"
	"testing"

	"github.com/wirewatch/wirewatch/chat"
)

// TestSplitPartsRoundTrip checks that a part, stored as JSON and read back
// for Send, posts exactly what rendering gave: text, every block (buttons
// and menus included) and the thread.
func TestSplitPartsRoundTrip(t *testing.T) {
	muted := mutedMsg()
	muted.Kind, muted.ThreadID = chat.KindAlert, ""
	msgs := []chat.Message{
		alertMsg(), buttonsMsg(), muted, hostileMsg(),
		{Kind: chat.KindUpdate, Channel: "C0OPS", ThreadID: "1625731200.000100", Items: manyItems(80)},
		{Kind: chat.KindDigest, Channel: "C0OPS", Heading: "afghanistan-daily", Items: manyItems(120)},
		{Kind: chat.KindReply, Channel: "C0OPS", Text: "Latest on Badghis", Items: manyItems(3)},
	}
	tr := New("xoxb-test")
	for _, m := range msgs {
		parts, err := tr.Split(m)
		if err != nil {
			t.Fatalf("%s: %v", m.Kind, err)
		}
		pages := render(m)
		if len(parts) != len(pages) {
			t.Fatalf("%s: %d parts for %d pages", m.Kind, len(parts), len(pages))
		}
		for i, p := range parts {
			sent := m
			sent.Part = p
			got, err := tr.partOf(sent)
			if err != nil {
				t.Fatalf("%s part %d: %v", m.Kind, i+1, err)
			}
			want, _ := json.Marshal(pages[i].Blocks)
			have, _ := json.Marshal(got.payload.Blocks)
			if string(have) != string(want) || got.payload.Text != pages[i].Text {
				t.Errorf("%s part %d changed on its way through the outbox:\n got %s\nwant %s", m.Kind, i+1, have, want)
			}
			if m.Kind == chat.KindUpdate && got.thread != m.ThreadID {
				t.Errorf("update part %d in thread %q, want the alert's %q", i+1, got.thread, m.ThreadID)
			}
		}
	}
}
