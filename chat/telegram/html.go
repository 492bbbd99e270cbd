package telegram

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// EscapeHTML returns s as text for Telegram's HTML parse mode: `&`, `<` and
// `>` become entities, invalid UTF-8 becomes U+FFFD, carriage returns and
// other control characters except newline and tab are dropped. The result
// contains no tags, so it is safe anywhere text is allowed.
//
// Specs: https://core.telegram.org/bots/api#html-style
func EscapeHTML(s string) string {
	return escape(s, false)
}

// escapeAttr escapes s for a double-quoted attribute value.
func escapeAttr(s string) string {
	return escape(s, true)
}

func escape(s string, attr bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r):
			// dropped: Telegram rejects or mangles control characters
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// maxHrefLen caps the URLs rendered as links, so that a link's opening tag
// always fits comfortably in a message part when it is reopened.
const maxHrefLen = 1024

// safeHref returns u when it is an absolute http(s) URL fit for a link and
// false otherwise: other schemes (javascript:, data:) and URLs with spaces or
// control characters are never linked.
func safeHref(u string) (string, bool) {
	u = strings.TrimSpace(u)
	if u == "" || len(u) > maxHrefLen || !utf8.ValidString(u) {
		return "", false
	}
	for _, r := range u {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>' || r == '"' {
			return "", false
		}
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "", false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return u, true
	}
	return "", false
}

// utf16Len counts s in UTF-16 code units, the unit of Telegram's length
// limits: characters outside the Basic Multilingual Plane count twice.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// htmlWriter builds Telegram HTML from plain text pieces, escaping each.
type htmlWriter struct {
	b strings.Builder
}

func (w *htmlWriter) text(s string)  { w.b.WriteString(EscapeHTML(s)) }
func (w *htmlWriter) raw(s string)   { w.b.WriteString(s) }
func (w *htmlWriter) newline()       { w.b.WriteByte('\n') }
func (w *htmlWriter) String() string { return w.b.String() }

func (w *htmlWriter) tag(name, s string) {
	e := EscapeHTML(s)
	if e == "" {
		return
	}
	w.b.WriteString("<" + name + ">" + e + "</" + name + ">")
}

func (w *htmlWriter) bold(s string)   { w.tag("b", s) }
func (w *htmlWriter) italic(s string) { w.tag("i", s) }

// link writes s linked to href, or s alone when href is not a safe link.
func (w *htmlWriter) link(href, s string) {
	h, ok := safeHref(href)
	if !ok {
		w.text(s)
		return
	}
	e := EscapeHTML(s)
	if e == "" {
		e = EscapeHTML(h)
	}
	w.b.WriteString(`<a href="` + escapeAttr(h) + `">` + e + "</a>")
}
