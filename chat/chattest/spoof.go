package chattest

import (
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
)

// SpoofPersian is a Persian title whose zero-width non-joiner is spelling
// ("they go", "houses"): every renderer must keep it.
const SpoofPersian = "می\u200cروند خانه\u200cها"

// SpoofMessage is a message whose title, lead, sources and items carry
// bidi overrides, zero-width characters and a terminal escape, the way a
// hostile feed would send them, and SpoofPersian in its article's title and
// first item's title. Every rendering shows "paypal".
func SpoofMessage(kind chat.Kind) chat.Message {
	day := time.Date(2021, 7, 8, 0, 0, 0, 0, time.UTC)
	return chat.Message{
		Kind: kind, Channel: "C0OPS", ThreadID: "1",
		Heading: "Badghis · assault",
		Article: &chat.Article{
			Title:     "Official statement \u202etxt.exe\u202c from pay\u200bpal: " + SpoofPersian,
			URL:       "https://news.example/a",
			Source:    "AF\u200dP\u2066",
			Published: day,
			Lead:      "Read \u2067this\u2069 now\u200b\x1b[2J",
			Place:     "Herat\u202d",
		},
		Outlets: []string{"Reu\u200cters"},
		Sources: 2,
		Items: []chat.Article{
			{Title: SpoofPersian, URL: "https://news.example/fa", Published: day},
			{Title: "\ufeffsecond\u00ad item\U000E0041 from pay\u200cpal", Lead: "lead\u202e reversed", Published: day},
		},
	}
}

// SpoofRunes are the characters no rendered message may contain.
var SpoofRunes = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff\u00ad\U000E0041\x1b"

// CheckNoSpoofing fails t when rendered, SpoofMessage as a transport
// rendered it, holds one of SpoofRunes or a joiner outside SpoofPersian,
// lost SpoofPersian's non-joiner, or lacks one of the words want or
// "paypal".
func CheckNoSpoofing(t testing.TB, rendered string, want ...string) {
	t.Helper()
	if i := strings.IndexAny(rendered, SpoofRunes); i >= 0 {
		t.Errorf("rendered text keeps %+q at byte %d: %+q", []rune(rendered[i:])[0], i, rendered)
	}
	if !strings.Contains(rendered, SpoofPersian) {
		t.Errorf("rendered text lost the Persian non-joiner of %+q: %+q", SpoofPersian, rendered)
	}
	rest := strings.ReplaceAll(rendered, SpoofPersian, "")
	if strings.ContainsAny(rest, "\u200c\u200d") {
		t.Errorf("rendered text keeps a joiner outside Persian words: %+q", rendered)
	}
	for _, w := range append(want, "paypal") {
		if !strings.Contains(rendered, w) {
			t.Errorf("rendered text lacks %q: %+q", w, rendered)
		}
	}
}
