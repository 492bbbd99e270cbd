package telegram

import "testing"

func TestEscapeHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"&amp; stays text", "&amp;amp; stays text"},
		{"<b>unbalanced", "&lt;b&gt;unbalanced"},
		{`say "hi"`, `say "hi"`},
		{"line\nbreak\ttab", "line\nbreak\ttab"},
		{"cr\r\nlf", "cr\nlf"},
		{"nul\x00bell\x07", "nulbell"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"Qala-i-Naw · Badghis 🇦🇫", "Qala-i-Naw · Badghis 🇦🇫"},
	}
	for _, tt := range tests {
		if got := EscapeHTML(tt.in); got != tt.want {
			t.Errorf("EscapeHTML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := escapeAttr(`a"b&c<d>`), "a&quot;b&amp;c&lt;d&gt;"; got != want {
		t.Errorf("escapeAttr = %q, want %q", got, want)
	}
}

func TestSafeHref(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"https://example.com/a?b=1&c=2", true},
		{"http://example.com", true},
		{"HTTPS://EXAMPLE.COM/x", true},
		{"javascript:alert(1)", false},
		{"data:text/html,<b>", false},
		{"tg://user?id=1", false},
		{"/relative", false},
		{"https://exa mple.com", false},
		{`https://example.com/"onclick`, false},
		{"https://example.com/" + string(make([]byte, maxHrefLen)), false},
		{"", false},
	}
	for _, tt := range tests {
		if _, ok := safeHref(tt.in); ok != tt.ok {
			t.Errorf("safeHref(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

func TestUTF16Len(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0}, {"abc", 3}, {"é", 1}, {"·", 1}, {"😀", 2}, {"🇦🇫", 4}, {"&amp;", 5},
	}
	for _, tt := range tests {
		if got := utf16Len(tt.in); got != tt.want {
			t.Errorf("utf16Len(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
