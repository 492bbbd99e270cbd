package telegram

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/wirewatch/wirewatch/chat"
)

// Lengths, in characters, that rendering cuts plain text to.
const (
	maxTitle      = 300
	maxAlertLead  = 300
	maxDigestLead = 200
	maxWhy        = 500
)

// Render returns m as Telegram HTML: every piece of text escaped, and only
// the tags b, i and a href. The result may be longer than a message allows;
// Send splits it with SplitHTML.
//
// Alerts and edits show the heading (region · rule) in bold, the title
// linked to the article, a short lead and an italic line with the date,
// place, outlets, source count and why the rule matched. Updates, digests
// and replies show the same article block when they carry an Article (a
// /why answer), then their text, then list their items, each with its
// title linked and an italic line with source, date and place; digests add
// each item's lead.
func Render(m chat.Message) string {
	m = chat.Clean(m)
	var w htmlWriter
	switch {
	case m.Kind == chat.KindAlert, m.Kind == chat.KindEdit && m.Article != nil:
		renderAlert(&w, m)
	case m.Kind == chat.KindEdit:
		// An edit of a thread reply: the reply again, with new counts.
		renderList(&w, m, "Update", false)
	case m.Kind == chat.KindUpdate:
		renderList(&w, m, "Update", false)
	case m.Kind == chat.KindDigest:
		renderList(&w, m, "Digest", true)
	default:
		renderList(&w, m, "", false)
	}
	out := strings.TrimRight(w.String(), "\n")
	if !hasText(tokenize(out)) {
		return "(empty message)"
	}
	return out
}

func renderAlert(w *htmlWriter, m chat.Message) {
	line(w, func() { w.bold(oneLine(m.Heading)) }, m.Heading != "")
	renderArticle(w, m)
	text(w, m.Text)
}

// renderArticle writes the lead article's title, lead and italic line, and
// the why of a match.
func renderArticle(w *htmlWriter, m chat.Message) {
	a := m.Article
	if a != nil {
		line(w, func() { w.link(a.URL, title(*a)) }, true)
		line(w, func() { w.text(shorten(oneLine(a.Lead), maxAlertLead)) }, strings.TrimSpace(a.Lead) != "")
	}
	var meta []string
	if a != nil {
		meta = append(meta, a.When(m.Zone), oneLine(a.Place))
	}
	meta = append(meta, strings.Join(m.Outlets, ", "), sources(m.Sources), shorten(oneLine(m.Why), maxWhy))
	if s := joinNonEmpty(meta); s != "" {
		line(w, func() { w.italic(s) }, true)
	}
}

// renderList renders updates, digests and replies: a bold heading, the
// message's text, then the items.
func renderList(w *htmlWriter, m chat.Message, label string, leads bool) {
	heading := oneLine(m.Heading)
	switch {
	case heading == "":
		heading = label
	case m.Kind == chat.KindUpdate:
		heading = label + " · " + heading
	}
	line(w, func() { w.bold(heading) }, heading != "")
	if m.Article != nil || m.Why != "" {
		renderArticle(w, m)
	}
	text(w, m.Text)
	for i, it := range m.Items {
		if leads {
			if i > 0 || m.Text != "" || heading != "" {
				w.newline()
			}
			w.text(strconv.Itoa(i+1) + ". ")
		} else {
			w.text("• ")
		}
		w.link(it.URL, title(it))
		w.newline()
		if s := joinNonEmpty([]string{oneLine(it.Source), it.When(m.Zone), oneLine(it.Place)}); s != "" {
			line(w, func() { w.italic(s) }, true)
		}
		if leads {
			line(w, func() { w.text(shorten(oneLine(it.Lead), maxDigestLead)) }, strings.TrimSpace(it.Lead) != "")
		}
	}
}

// line writes one line with f when ok.
func line(w *htmlWriter, f func(), ok bool) {
	if ok {
		f()
		w.newline()
	}
}

// text writes free text, keeping its line breaks.
func text(w *htmlWriter, s string) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s != "" {
		w.text(s)
		w.newline()
	}
}

func title(a chat.Article) string {
	if t := shorten(oneLine(a.Title), maxTitle); t != "" {
		return t
	}
	if a.URL != "" {
		return shorten(oneLine(a.URL), maxTitle)
	}
	return "(untitled)"
}

func sources(n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return "1 source"
	}
	return fmt.Sprintf("%d sources", n)
}

func joinNonEmpty(parts []string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// oneLine folds every run of whitespace in s, line breaks included, to one
// space.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// shorten cuts s to at most n characters, at a word boundary when there is
// one in the last fifth, and marks the cut with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n - 1
	for i := cut; i > n*4/5; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(r[:cut]), unicode.IsSpace) + "…"
}
