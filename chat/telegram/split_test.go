package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitHTML(t *testing.T) {
	words := strings.Repeat("alpha beta gamma delta ", 20)
	tests := []struct {
		name  string
		in    string
		limit int
		// want is the exact result, when exact.
		want  []string
		exact bool
		// each, when set, checks every part.
		each func(t *testing.T, part string)
	}{
		{name: "short stays whole", in: "<b>hi</b> there", limit: 100, want: []string{"<b>hi</b> there"}, exact: true},
		{name: "blank is nothing", in: " \n\t ", limit: 100, exact: true},
		{name: "empty is nothing", in: "", limit: 100, exact: true},
		{name: "tags alone are nothing", in: "<b> </b>\n<i></i>", limit: 100, exact: true},
		{
			name: "cuts at spaces", in: words, limit: 64,
			each: func(t *testing.T, p string) {
				for _, w := range strings.Fields(p) {
					if !strings.Contains("alpha beta gamma delta", w) {
						t.Errorf("word cut: %q in %q", w, p)
					}
				}
			},
		},
		{
			name:  "prefers line breaks in the second half",
			in:    strings.Repeat("one two three four five six seven eight nine ten\n", 6),
			limit: 120,
			each: func(t *testing.T, p string) {
				if !strings.HasSuffix(p, "ten\n") && !strings.HasSuffix(p, "ten") {
					t.Errorf("part does not end at a line break: %q", p)
				}
			},
		},
		{
			name: "closes and reopens bold", in: "<b>" + words + "</b>", limit: 64,
			each: func(t *testing.T, p string) {
				if !strings.HasPrefix(p, "<b>") || !strings.HasSuffix(p, "</b>") {
					t.Errorf("part not wrapped in <b>: %q", p)
				}
			},
		},
		{
			name: "closes and reopens nested tags in order", in: "x <b>b <i>" + words + "</i> b</b> y", limit: 80,
			each: func(t *testing.T, p string) {
				if strings.Contains(p, "<i>") && !strings.Contains(p, "</i>") {
					t.Errorf("unclosed <i>: %q", p)
				}
			},
		},
		{
			name: "reopens links", in: `<a href="https://example.com/a?x=1&amp;y=2">` + words + "</a>", limit: 100,
			each: func(t *testing.T, p string) {
				if !strings.HasPrefix(p, `<a href="https://example.com/a?x=1&amp;y=2">`) {
					t.Errorf("link not reopened: %q", p)
				}
			},
		},
		{
			name: "never cuts an entity", in: strings.Repeat("&amp;&lt;&gt;&quot;", 40), limit: 64,
			each: func(t *testing.T, p string) {
				if strings.Count(p, "&") != strings.Count(p, ";") {
					t.Errorf("entity cut: %q", p)
				}
			},
		},
		{name: "cuts inside a word longer than a part", in: strings.Repeat("x", 300), limit: 64},
		{
			name: "counts UTF-16 units", in: strings.Repeat("😀", 200), limit: 64,
			each: func(t *testing.T, p string) {
				if !utf8.ValidString(p) {
					t.Errorf("rune cut: %q", p)
				}
			},
		},
		{
			name: "drops a link too long to reopen", in: `<a href="https://example.com/` + strings.Repeat("p", 200) + `">` + words + "</a>", limit: 200,
			each: func(t *testing.T, p string) {
				if strings.Count(p, "<a ") != strings.Count(p, "</a>") {
					t.Errorf("unbalanced link: %q", p)
				}
			},
		},
		{name: "limit below the minimum counts as the minimum", in: words, limit: 1},
		{name: "pre block", in: "<pre>" + strings.Repeat("line of code\n", 30) + "</pre>", limit: 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := checkSplit(t, tt.in, tt.limit)
			if tt.exact {
				if strings.Join(parts, "|") != strings.Join(tt.want, "|") || len(parts) != len(tt.want) {
					t.Fatalf("SplitHTML = %q, want %q", parts, tt.want)
				}
			}
			if tt.each != nil && len(parts) < 2 {
				t.Fatalf("expected several parts, got %q", parts)
			}
			for _, p := range parts {
				if tt.each != nil {
					tt.each(t, p)
				}
			}
		})
	}
}

// FuzzSplitHTML escapes arbitrary text, wraps it in the tags wirewatch
// emits and splits it: every part must be valid Telegram HTML under the
// limit, and the parts together must show all the text.
func FuzzSplitHTML(f *testing.F) {
	f.Add("<script>alert(1)</script> &amp; <b>unbalanced", "https://example.com/?a=1&b=2", 64)
	f.Add(strings.Repeat("Qala-i-Naw 🇦🇫 ", 50), "javascript:alert(1)", 100)
	f.Add(strings.Repeat("word\n", 100), "https://example.com/"+strings.Repeat("x", 500), 300)
	f.Add("\xff\xfe\x00<&>\"", "", 4000)
	f.Fuzz(func(t *testing.T, text, href string, limit int) {
		limit = minSplitLimit + abs(limit)%(MaxMessageLen-minSplitLimit+1)
		var w htmlWriter
		w.text(text)
		w.bold(text)
		w.newline()
		w.link(href, text)
		w.raw("<i>")
		w.text(text)
		w.bold(text)
		w.raw("</i>")
		w.raw("<pre>")
		w.text(text)
		w.raw("</pre>")
		in := w.String()
		if !hasText(tokenize(in)) {
			if len(SplitHTML(in, limit)) != 0 {
				t.Fatalf("parts for a text without visible characters")
			}
			return
		}
		checkSplit(t, in, limit)
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}
