package slack

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// mrkdwnEscaper turns Slack's three control characters into entities, so no
// text can form a mention (<!channel>, <@U123>), a link or a date token.
// Specs: https://docs.slack.dev/messaging/formatting-message-text#escaping
var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape returns s safe to place in Slack text of either type.
func escape(s string) string { return mrkdwnEscaper.Replace(s) }

// escapedLen is the length Slack counts for escape(s): UTF-16 code units,
// with & < > counted as their entities.
func escapedLen(s string) int {
	n := 0
	for _, r := range s {
		n += escapedRuneLen(r)
	}
	return n
}

func escapedRuneLen(r rune) int {
	switch r {
	case '&':
		return len("&amp;")
	case '<', '>':
		return len("&lt;")
	}
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// urlEscaper makes a URL safe inside <url|text>: no character of it can end
// the URL part or the link.
var urlEscaper = strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C")

// maxURLLen bounds the URLs worth linking; longer ones are left out.
const maxURLLen = 2000

// link returns mrkdwn for text linked to rawURL. Only http and https URLs
// are linked; both parts are escaped so neither can close the link early or
// smuggle in a mention. With no usable URL it returns the escaped text.
func link(rawURL, text string) string {
	text = oneLine(text)
	u, err := url.Parse(rawURL)
	target := urlEscaper.Replace(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		len(target) > maxURLLen || strings.ContainsFunc(rawURL, unicode.IsSpace) {
		return escape(text)
	}
	if text == "" {
		text = rawURL
	}
	return "<" + target + "|" + escape(text) + ">"
}

// oneLine folds runs of white space, line breaks included, into one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ellipsis marks cut text.
const ellipsis = "…"

// truncate returns s, or a prefix of it ending in "…", whose escaped length
// is at most max. It prefers to cut between words.
func truncate(s string, max int) string {
	if escapedLen(s) <= max {
		return s
	}
	head, _ := fit(s, max-escapedLen(ellipsis))
	return strings.TrimRightFunc(head, unicode.IsSpace) + ellipsis
}

// split cuts s into pieces whose escaped length is at most max each, at
// line breaks where it can, else between words, else anywhere.
func split(s string, max int) []string {
	var out []string
	for s != "" {
		head, rest := fit(s, max)
		if head = strings.TrimRightFunc(head, unicode.IsSpace); head != "" {
			out = append(out, head)
		}
		s = strings.TrimLeftFunc(rest, unicode.IsSpace)
	}
	return out
}

// fit returns the longest prefix of s with an escaped length of at most max,
// moved back to the last line break, or else the last space, when that keeps
// at least half of it; rest is what follows.
func fit(s string, max int) (head, rest string) {
	if max < 1 {
		max = 1
	}
	n, cut, lastLine, lastSpace := 0, len(s), -1, -1
	for i, r := range s {
		if n+escapedRuneLen(r) > max {
			cut = i
			break
		}
		n += escapedRuneLen(r)
		switch {
		case r == '\n':
			lastLine = i + 1
		case unicode.IsSpace(r):
			lastSpace = i + 1
		}
	}
	if cut == len(s) {
		return s, ""
	}
	if cut == 0 { // a single rune wider than max: take it anyway
		_, cut = utf8.DecodeRuneInString(s)
	}
	switch {
	case lastLine > cut/2:
		cut = lastLine
	case lastSpace > cut/2:
		cut = lastSpace
	}
	return s[:cut], s[cut:]
}
