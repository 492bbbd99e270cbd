package slack

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"<!channel> hi", "&lt;!channel&gt; hi"},
		{"<@U123>", "&lt;@U123&gt;"},
		{"<!here|here>", "&lt;!here|here&gt;"},
		{"AT&T", "AT&amp;T"},
		{"&lt; stays literal", "&amp;lt; stays literal"},
		{"<https://evil.example|click>", "&lt;https://evil.example|click&gt;"},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := escapedLen(tt.in); n != len(tt.want) {
			t.Errorf("escapedLen(%q) = %d, want %d", tt.in, n, len(tt.want))
		}
	}
}

func TestLink(t *testing.T) {
	tests := []struct {
		name, url, text, want string
	}{
		{"plain", "https://example.com/a", "Title", "<https://example.com/a|Title>"},
		{"query ampersand", "https://example.com/?a=1&b=2", "T", "<https://example.com/?a=1&amp;b=2|T>"},
		{"pipe and brackets in url", "https://example.com/a|b<c>", "T", "<https://example.com/a%7Cb%3Cc%3E|T>"},
		{"hostile text", "https://example.com/", "<!channel> x|y>", "<https://example.com/|&lt;!channel&gt; x|y&gt;>"},
		{"javascript scheme", "javascript:alert(1)", "T", "T"},
		{"slack scheme", "slack://channel?id=C1", "T", "T"},
		{"no url", "", "T <b>", "T &lt;b&gt;"},
		{"space in url", "https://example.com/a b", "T", "T"},
		{"no text", "https://example.com/", "", "<https://example.com/|https://example.com/>"},
		{"multi-line text", "https://example.com/", "a\n b", "<https://example.com/|a b>"},
		{"too long", "https://example.com/" + strings.Repeat("a", maxURLLen), "T", "T"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := link(tt.url, tt.text); got != tt.want {
				t.Errorf("link(%q, %q) = %q, want %q", tt.url, tt.text, got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"one two three four", 12, "one two…"},
		{"abcdefghijklmnop", 8, "abcdefg…"},
		{"a&b&c&d", 8, "a&b…"}, // & counts 5 once escaped
		{"Qala-i-Naw ürün", 12, "Qala-i-Naw…"},
	}
	for _, tt := range tests {
		got := truncate(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if n := escapedLen(got); n > tt.max {
			t.Errorf("truncate(%q, %d): escaped length %d", tt.in, tt.max, n)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"fits", "one line", 20, []string{"one line"}},
		{"at lines", "first line\nsecond line\nthird", 24, []string{"first line\nsecond line", "third"}},
		{"at words", "alpha beta gamma delta", 11, []string{"alpha beta", "gamma delta"}},
		{"hard cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"entities never cut", "<<<<", 9, []string{"<<", "<<"}},
		{"wide rune alone", "😀", 1, []string{"😀"}},
		{"empty", "", 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := split(tt.in, tt.max)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("split(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func TestSplitKeepsWordsAndLimit(t *testing.T) {
	text := strings.Repeat("Fierce fighting erupted in Qala-i-Naw & <Badghis>. ", 300)
	pieces := split(text, maxSectionText)
	if len(pieces) < 2 {
		t.Fatalf("got %d pieces, want several", len(pieces))
	}
	var words []string
	for _, p := range pieces {
		if n := escapedLen(p); n > maxSectionText {
			t.Errorf("piece of escaped length %d > %d", n, maxSectionText)
		}
		words = append(words, strings.Fields(p)...)
	}
	if got, want := strings.Join(words, " "), strings.Join(strings.Fields(text), " "); got != want {
		t.Errorf("split lost or cut words")
	}
}
