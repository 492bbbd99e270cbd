package slack

import (
	"fmt"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

// Block Kit limits, and the shorter bounds wirewatch keeps its parts to.
// Specs: https://docs.slack.dev/reference/block-kit/blocks
const (
	maxBlocks       = 50
	maxSectionText  = 3000
	maxHeaderText   = 150
	maxFallbackText = 3000

	maxTitle        = 300
	maxLead         = 500
	maxMeta         = 300
	maxWhy          = 1000
	maxTextSections = 10
	// maxPages bounds the messages one digest or update may take; what does
	// not fit is cut with "… N more".
	maxPages = 5
)

// payload is one Slack message: its blocks and the plain fallback text Slack
// shows in notifications. Both are already escaped.
type payload struct {
	Text   string          `json:"text"`
	Blocks []slackgo.Block `json:"blocks"`
}

// render lays m out for Slack. Digests and updates continue over up to
// maxPages messages (the later ones go in the thread); every other kind is
// one message, cut with "… N more" when its items do not fit. It returns
// nil when m has nothing to show.
func render(m chat.Message) []payload {
	pages := 1
	if m.Kind == chat.KindDigest || m.Kind == chat.KindUpdate {
		pages = maxPages
	}
	return layout(m, pages)
}

// layout renders m into at most pages messages.
func layout(m chat.Message, pages int) []payload {
	m = chat.Clean(m)
	var pre []slackgo.Block
	var fallback string
	switch m.Kind {
	case chat.KindAlert, chat.KindEdit:
		pre, fallback = alertBlocks(m)
	case chat.KindUpdate:
		pre, fallback = updateBlocks(m)
	case chat.KindDigest:
		pre, fallback = digestBlocks(m)
	default:
		pre, fallback = replyBlocks(m)
	}
	items := make([]slackgo.Block, len(m.Items))
	for i, a := range m.Items {
		items[i] = itemBlock(a, m.Zone)
	}
	var out []payload
	for i, blocks := range paginate(pre, items, pages) {
		text := fallback
		if i > 0 {
			text += " (continued)"
		}
		out = append(out, payload{Text: escape(truncate(text, maxFallbackText)), Blocks: blocks})
	}
	return out
}

// paginate fills messages of at most maxBlocks blocks: pre and then items,
// over at most pages messages; the last one ends with "… N more" when items
// are left over.
func paginate(pre, items []slackgo.Block, pages int) [][]slackgo.Block {
	if len(pre) == 0 && len(items) == 0 {
		return nil
	}
	var out [][]slackgo.Block
	cur := pre
	for page := 1; ; page++ {
		room := maxBlocks - len(cur)
		if len(items) <= room {
			return append(out, append(cur, items...))
		}
		if page == pages {
			take := room - 1
			cur = append(cur, items[:take]...)
			return append(out, append(cur, moreBlock(len(items)-take)))
		}
		out = append(out, append(cur, items[:room]...))
		items, cur = items[room:], nil
	}
}

func moreBlock(n int) slackgo.Block {
	return slackgo.NewContextBlock("", mrkdwn(fmt.Sprintf("%s %d more not shown", ellipsis, n)))
}

func alertBlocks(m chat.Message) ([]slackgo.Block, string) {
	var blocks []slackgo.Block
	if m.Heading != "" {
		blocks = append(blocks, header(m.Heading))
	}
	fallback := m.Heading
	if a := m.Article; a != nil {
		text := "*" + link(a.URL, truncate(title(*a), maxTitle)) + "*"
		if lead := oneLine(a.Lead); lead != "" {
			text += "\n" + escape(truncate(lead, maxLead))
		}
		blocks = append(blocks, section(text))
		fallback = join(": ", m.Heading, title(*a))
	}
	var meta []string
	if m.Article != nil {
		meta = append(meta, escape(m.Article.When(m.Zone)))
	}
	outlets := m.Outlets
	if len(outlets) == 0 && m.Article != nil && m.Article.Source != "" {
		outlets = []string{m.Article.Source}
	}
	meta = append(meta, escape(truncate(strings.Join(outlets, ", "), maxMeta)))
	if m.Sources > 0 {
		meta = append(meta, plural(m.Sources, "source"))
		fallback += " (" + plural(m.Sources, "source") + ")"
	}
	if why := oneLine(m.Why); why != "" {
		meta = append(meta, "Why: "+escape(truncate(why, maxWhy)))
	}
	if b := contextBlock(meta...); b != nil {
		blocks = append(blocks, b)
	}
	blocks = append(blocks, textSections(m.Text)...)
	blocks = append(blocks, controlBlocks(m.Controls, m.Zone)...)
	if fallback == "" {
		fallback = m.Text
	}
	return blocks, fallback
}

func updateBlocks(m chat.Message) ([]slackgo.Block, string) {
	heading := oneLine(m.Heading)
	if heading == "" {
		heading = "Update"
	}
	count := plural(len(m.Items), "new report")
	blocks := []slackgo.Block{section("*" + escape(truncate(heading, maxTitle)) + "*: " + count)}
	if why := oneLine(m.Why); why != "" {
		blocks = append(blocks, contextBlock("Why: "+escape(truncate(why, maxWhy))))
	}
	blocks = append(blocks, textSections(m.Text)...)
	fallback := heading + ": " + count
	if len(m.Items) > 0 {
		fallback += ": " + title(m.Items[0])
	}
	return blocks, fallback
}

func digestBlocks(m chat.Message) ([]slackgo.Block, string) {
	heading := oneLine(m.Heading)
	if heading == "" {
		heading = "Digest"
	}
	blocks := append([]slackgo.Block{header(heading)}, textSections(m.Text)...)
	if len(m.Items) == 0 && len(blocks) == 1 {
		blocks = append(blocks, section("_Nothing new._"))
	}
	return blocks, heading + ": " + plural(len(m.Items), "article")
}

func replyBlocks(m chat.Message) ([]slackgo.Block, string) {
	var blocks []slackgo.Block
	if m.Heading != "" {
		blocks = append(blocks, header(m.Heading))
	}
	blocks = append(blocks, textSections(m.Text)...)
	fallback := m.Text
	switch {
	case fallback == "" && m.Heading != "":
		fallback = m.Heading
	case fallback == "" && len(m.Items) > 0:
		fallback = plural(len(m.Items), "result")
	}
	return blocks, fallback
}

// itemBlock shows one article: linked title, source · date · place, lead;
// times are in zone.
func itemBlock(a chat.Article, zone string) slackgo.Block {
	text := "*" + link(a.URL, truncate(title(a), maxTitle)) + "*"
	if meta := join(" · ", truncate(oneLine(a.Source), maxMeta), a.When(zone), truncate(oneLine(a.Place), maxMeta)); meta != "" {
		text += "\n" + escape(meta)
	}
	if lead := oneLine(a.Lead); lead != "" {
		text += "\n" + escape(truncate(lead, maxLead))
	}
	return section(text)
}

// textSections shows plain text over as many sections as it needs, at most
// maxTextSections.
func textSections(s string) []slackgo.Block {
	pieces := split(strings.TrimSpace(s), maxSectionText)
	if len(pieces) > maxTextSections {
		pieces = pieces[:maxTextSections]
		last := &pieces[maxTextSections-1]
		*last = strings.TrimSuffix(truncate(*last, maxSectionText-1), ellipsis) + ellipsis
	}
	blocks := make([]slackgo.Block, len(pieces))
	for i, p := range pieces {
		blocks[i] = section(escape(p))
	}
	return blocks
}

func header(s string) slackgo.Block {
	return slackgo.NewHeaderBlock(slackgo.NewTextBlockObject(slackgo.PlainTextType, escape(truncate(oneLine(s), maxHeaderText)), false, false))
}

func section(text string) slackgo.Block {
	return slackgo.NewSectionBlock(mrkdwn(text), nil, nil)
}

// contextBlock returns a context block of the non-empty texts, or nil.
func contextBlock(texts ...string) slackgo.Block {
	var elems []slackgo.MixedElement
	for _, t := range texts {
		if t != "" {
			elems = append(elems, mrkdwn(t))
		}
	}
	if len(elems) == 0 {
		return nil
	}
	return slackgo.NewContextBlock("", elems...)
}

// mrkdwn is a text object whose plain words Slack leaves alone: verbatim
// stops it from turning names and "@here" into links or mentions.
func mrkdwn(text string) *slackgo.TextBlockObject {
	return slackgo.NewTextBlockObject(slackgo.MarkdownType, text, false, true)
}

func title(a chat.Article) string {
	if t := oneLine(a.Title); t != "" {
		return t
	}
	return "(untitled)"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// join joins the non-empty parts with sep.
func join(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
