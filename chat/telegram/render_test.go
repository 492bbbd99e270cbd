package telegram

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
)

var day = time.Date(2021, 7, 8, 0, 0, 0, 0, time.UTC)

func qalaINaw() *chat.Article {
	return &chat.Article{
		Title:     "Taliban launch all-out assault on Qala-i-Naw, capital of Badghis",
		URL:       "https://example.com/afp/qala-i-naw?utm_source=wire&id=7",
		Source:    "AFP",
		Published: day,
		Place:     "Qala-i-Naw (Badghis, Afghanistan)",
		Lead: "Smoke covered the provincial capital in Afghanistan on Thursday as fighting went on between " +
			"Afghan forces and the Taliban. The government has flown in hundreds of commandos into Qala-i-Naw, " +
			"the city that is capital of northwestern province of Badghis.",
	}
}

func items() []chat.Article {
	return []chat.Article{
		{Title: "Afghan forces take back provincial capital Qala-e-Naw after Taliban assault", URL: "https://example.com/tolo/1",
			Source: "TOLOnews", Published: day.Add(15 * time.Hour), Place: "Qala-e-Naw (Badghis, Afghanistan)",
			Lead: "Kabul flew in hundreds of commandos to Qala-e-Naw in Badghis."},
		{Title: "Taliban enter Badghis capital", Source: "Islam Times", Published: day.Add(-24 * time.Hour), DateFromFile: true,
			Lead: "The Taliban launched its first assault on a provincial capital."},
	}
}

// digest20k is a digest whose rendering is far over one message.
func digest20k() chat.Message {
	m := chat.Message{Kind: chat.KindDigest, Channel: "-1001234567890", Heading: "afghanistan-daily",
		Text: "Articles matched in the last 24 hours, newest first."}
	for i := 0; len(Render(m)) < 20000; i++ {
		a := items()[i%2]
		a.Title = fmt.Sprintf("%d: %s <with> & \"marks\"", i+1, a.Title)
		a.Lead = strings.Repeat(a.Lead+" ", 3)
		m.Items = append(m.Items, a)
	}
	return m
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		m    chat.Message
	}{
		{"alert", chat.Message{Kind: chat.KindAlert, Channel: "-1001234567890",
			Heading: "Badghis · provincial-capital-assault", Article: qalaINaw(),
			Outlets: []string{"AFP", "France 24"}, Sources: 2, Why: "taliban + all-out assault in Qala-i-Naw"}},
		{"edit", chat.Message{Kind: chat.KindEdit, Channel: "-1001234567890", ThreadID: "42",
			Heading: "Badghis · provincial-capital-assault", Article: qalaINaw(),
			Outlets: []string{"AFP", "France 24", "Pajhwok"}, Sources: 3, Why: "taliban + all-out assault in Qala-i-Naw"}},
		{"update", chat.Message{Kind: chat.KindUpdate, Channel: "-1001234567890", ThreadID: "42",
			Heading: "Badghis · provincial-capital-assault", Text: "2 more reports", Items: items()}},
		{"digest", chat.Message{Kind: chat.KindDigest, Channel: "-1001234567890", Heading: "afghanistan-daily",
			Text: "Articles matched in the last 24 hours, newest first.", Items: items()}},
		{"reply", chat.Message{Kind: chat.KindReply, Channel: "123456789",
			Text: "Latest for badghis (2):", Items: items()}},
		{"reply-text", chat.Message{Kind: chat.KindReply, Channel: "123456789",
			Text: "Commands:\n/latest <region or keyword> [n]\n/help"}},
		{"hostile", chat.Message{Kind: chat.KindAlert, Channel: "-1001234567890",
			Heading: "<b>Badghis & co · <i>rule",
			Article: &chat.Article{
				Title:     `<script>alert("x")</script> &amp; <b>unbalanced`,
				URL:       `https://example.com/?q="><script>&x=<b>`,
				Published: day, Lead: "a < b && c > d &lt; </i></b> <a href=\"javascript:alert(1)\">x</a>",
			},
			Outlets: []string{"<Outlet>", "A&B"}, Sources: 1, Why: "</i>why<i>"}},
		{"hostile-link", chat.Message{Kind: chat.KindReply, Channel: "1",
			Items: []chat.Article{{Title: "click", URL: "javascript:alert(document.cookie)"}, {Title: "", URL: "https://example.com/untitled"}}}},
		{"empty", chat.Message{Kind: chat.KindReply, Channel: "1"}},
		{"reply-why", chat.Message{Kind: chat.KindReply, Channel: "1", Heading: "Why alert 17",
			Article: qalaINaw(), Outlets: []string{"AFP"}, Sources: 1,
			Why: "rule provincial-capital-assault: keywords taliban, all-out assault; region badghis via Qala-i-Naw"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(tt.m)
			checkPart(t, got, MaxMessageLen)
			golden(t, tt.name, got)
		})
	}
}

func TestRenderSplitsLongDigest(t *testing.T) {
	m := digest20k()
	html := Render(m)
	if utf16Len(html) < 20000 {
		t.Fatalf("digest is %d units, want at least 20000", utf16Len(html))
	}
	parts := checkSplit(t, html, MaxMessageLen)
	if len(parts) < 5 {
		t.Fatalf("%d parts for %d units", len(parts), utf16Len(html))
	}
	var b strings.Builder
	for i, p := range parts {
		fmt.Fprintf(&b, "===== part %d of %d (%d UTF-16 units)\n%s\n", i+1, len(parts), utf16Len(p), p)
	}
	golden(t, "digest-20k", b.String())
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four five six", 20, "one two three four…"},
		{"abcdefghijklmnop", 8, "abcdefg…"},
		{"Qala-i-Naw ÄÖÜ äöü", 13, "Qala-i-Naw Ä…"},
	}
	for _, tt := range tests {
		if got := shorten(tt.in, tt.n); got != tt.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// FuzzRender renders messages of arbitrary text: every part of every
// rendering must be valid Telegram HTML under the limit.
func FuzzRender(f *testing.F) {
	f.Add("<script>", "&amp;", "https://example.com/?a=<b>", "<b>unbalanced")
	f.Add("", "", "", "")
	f.Add(strings.Repeat("x", 5000), "\x00\xff", "javascript:1", strings.Repeat("😀 ", 3000))
	f.Fuzz(func(t *testing.T, heading, title, url, text string) {
		a := chat.Article{Title: title, URL: url, Lead: text, Source: heading, Place: title, Published: day}
		for _, k := range []chat.Kind{chat.KindAlert, chat.KindEdit, chat.KindUpdate, chat.KindDigest, chat.KindReply} {
			m := chat.Message{Kind: k, Heading: heading, Article: &a, Items: []chat.Article{a, a}, Text: text,
				Outlets: []string{heading, title}, Why: text, Sources: 2}
			checkSplit(t, Render(m), MaxMessageLen)
		}
	})
}
