package telegram

import (
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
)

func TestRenderEditOfReplyKeepsItems(t *testing.T) {
	m := chat.Message{Kind: chat.KindEdit, Heading: "Badghis, Afghanistan · assault", Text: "Story #1: 2 more report(s)",
		Items: []chat.Article{
			{Title: "Later report", Published: time.Date(2021, 7, 8, 0, 0, 0, 0, time.UTC), Source: "AFP, Malay Mail (2 sources)"},
			{Title: "Another <report>", Published: time.Date(2021, 7, 8, 0, 0, 0, 0, time.UTC)},
		}}
	out := Render(m)
	for _, want := range []string{"Later report", "AFP, Malay Mail (2 sources)", "Another &lt;report&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("edit of a reply lacks %q:\n%s", want, out)
		}
	}
	alert := Render(chat.Message{Kind: chat.KindEdit, Heading: "h", Article: &chat.Article{Title: "Lead article"}, Sources: 2})
	if !strings.Contains(alert, "Lead article") {
		t.Errorf("edit of an alert:\n%s", alert)
	}
}
