package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns m with every text field passed through CleanText, so that
// article titles, leads and sources cannot reorder or hide what a message
// shows. Every renderer calls it first; m itself is not changed. Only what
// is displayed is cleaned: matching reads the document's own text.
func Clean(m Message) Message {
	m.Heading = CleanText(m.Heading)
	m.Why = CleanText(m.Why)
	m.Text = CleanText(m.Text)
	if m.Article != nil {
		a := cleanArticle(*m.Article)
		m.Article = &a
	}
	if len(m.Outlets) > 0 {
		outlets := make([]string, len(m.Outlets))
		for i, o := range m.Outlets {
			outlets[i] = CleanText(o)
		}
		m.Outlets = outlets
	}
	if len(m.Items) > 0 {
		items := make([]Article, len(m.Items))
		for i, a := range m.Items {
			items[i] = cleanArticle(a)
		}
		m.Items = items
	}
	if m.Controls != nil {
		c := *m.Controls
		c.Scope, c.ScopeCommand = CleanText(c.Scope), CleanText(c.ScopeCommand)
		if c.Muted != nil {
			n := *c.Muted
			n.What, n.By = CleanText(n.What), CleanText(n.By)
			c.Muted = &n
		}
		m.Controls = &c
	}
	return m
}

func cleanArticle(a Article) Article {
	a.Title = CleanText(a.Title)
	a.Source = CleanText(a.Source)
	a.Place = CleanText(a.Place)
	a.Lead = CleanText(a.Lead)
	a.URL = CleanText(a.URL)
	return a
}

// CleanText removes from s the characters that let text spoof what a
// reader sees:
//   - bidirectional embeddings, overrides and isolates (U+202A-U+202E,
//     U+2066-U+2069), which reorder the text that follows them;
//   - the bidi marks (U+200E, U+200F, U+061C) unless s holds right-to-left
//     letters, where they place punctuation and digits correctly;
//   - invisible characters: zero-width space, word joiner, byte order mark,
//     soft hyphen, invisible operators, Hangul fillers, tag characters and
//     the like;
//   - the zero-width non-joiner (U+200C) and joiner (U+200D) except between
//     two letters of a script that shapes with them (Persian, Arabic,
//     Indic and other joining scripts) or, for the joiner, inside an emoji
//     sequence: "می‌روم" keeps its non-joiner, "pay\u200cpal" loses it;
//   - control characters other than tab and newline (terminal escapes).
//
// Text without any of them is returned as is, without allocating.
func CleanText(s string) string {
	if !needsCleaning(s) {
		return s
	}
	rtl := hasRTL(s)
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(-1) // the last rune kept
	for i, r := range s {
		switch {
		case r == utf8.RuneError && isInvalidAt(s, i):
			continue // invalid UTF-8: dropped rather than shown as �
		case r == '\t' || r == '\n':
		case unicode.IsControl(r), isBidiOverride(r), isInvisible(r):
			continue
		case isBidiMark(r) && !rtl:
			continue
		case r == zwnj || r == zwj:
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			if !keepJoiner(r, prev, next) {
				continue
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

const (
	zwnj = '\u200c'
	zwj  = '\u200d'
)

// needsCleaning reports whether s has a rune CleanText may remove; plain
// printable ASCII never does.
func needsCleaning(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return needsCleaningSlow(s[i:])
		}
		if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
			return true
		}
	}
	return false
}

func needsCleaningSlow(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError && isInvalidAt(s, i) {
			return true
		}
		if (unicode.IsControl(r) && r != '\t' && r != '\n') || isBidiOverride(r) || isInvisible(r) ||
			isBidiMark(r) || r == zwnj || r == zwj {
			return true
		}
	}
	return false
}

func isInvalidAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size <= 1
}

// isBidiOverride reports the explicit embeddings, overrides and isolates
// (the characters of CVE-2021-42574, "Trojan Source").
func isBidiOverride(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// isBidiMark reports the zero-width directional marks LRM, RLM and ALM.
func isBidiMark(r rune) bool { return r == '\u200e' || r == '\u200f' || r == '\u061c' }

// isInvisible reports characters that show nothing and have no role in
// display text: format characters (Cf) but for the joiners and bidi
// controls handled apart, and blank fillers that look like spaces of no
// width.
func isInvisible(r rune) bool {
	switch r {
	case zwnj, zwj, '\u200e', '\u200f', '\u061c':
		return false
	case '\u115f', '\u1160', '\u3164', '\uffa0', // Hangul fillers
		'\u034f',           // combining grapheme joiner
		'\u17b4', '\u17b5', // Khmer inherent vowels
		'\u180b', '\u180c', '\u180d', // Mongolian free variation selectors
		'\u180e': // Mongolian vowel separator
		return true
	}
	if r >= 0xe0000 && r <= 0xe007f { // tag characters
		return true
	}
	// Cf holds the zero-width space, word joiner, BOM, soft hyphen,
	// invisible operators, interlinear annotations and the bidi controls
	// (handled above). Arabic number signs (U+0600-U+0605, U+06DD, U+08E2)
	// are Cf too but visible: keep them.
	if unicode.Is(unicode.Cf, r) {
		return !unicode.Is(unicode.Arabic, r) && !unicode.Is(unicode.Syriac, r)
	}
	return false
}

// joiningScripts use ZWNJ and ZWJ as part of their spelling.
var joiningScripts = []*unicode.RangeTable{
	unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Mongolian, unicode.Thaana,
	unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya,
	unicode.Tamil, unicode.Telugu, unicode.Kannada, unicode.Malayalam, unicode.Sinhala,
	unicode.Myanmar, unicode.Khmer, unicode.Tibetan,
}

// keepJoiner reports whether a joiner between prev and next shapes text
// rather than hides a break: both neighbours belong to one joining script
// (Persian "می‌روم"), or, for ZWJ, it links the parts of an emoji.
func keepJoiner(j, prev, next rune) bool {
	if prev < 0 || next == utf8.RuneError {
		return false
	}
	for _, t := range joiningScripts {
		if unicode.Is(t, prev) && unicode.Is(t, next) {
			return true
		}
	}
	return j == zwj && isEmojiPart(prev) && isEmojiPart(next)
}

// isEmojiPart approximates the characters of an emoji ZWJ sequence: symbols,
// skin-tone modifiers and the emoji presentation selector.
func isEmojiPart(r rune) bool {
	return r == '\ufe0f' || unicode.Is(unicode.So, r) || (r >= 0x1f3fb && r <= 0x1f3ff)
}

// hasRTL reports whether s holds a letter of a right-to-left script.
func hasRTL(s string) bool {
	for _, r := range s {
		if r >= 0x0590 && r <= 0x08ff || r >= 0xfb1d && r <= 0xfdff || r >= 0xfe70 && r <= 0xfefc ||
			r >= 0x10800 && r <= 0x10fff || r >= 0x1e800 && r <= 0x1efff {
			if unicode.IsLetter(r) {
				return true
			}
		}
	}
	return false
}
