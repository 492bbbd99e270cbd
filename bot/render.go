package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/store"
)

// LeadLen caps the lead extract of an article, in characters.
const LeadLen = 280

// RenderStore is what the renderer reads: the row an edit rewrites, the
// story, its documents and their analyses; and, for an alert's buttons,
// the alert's action ref and the channel's mutes.
type RenderStore interface {
	store.DocumentReader
	store.StoryReader
	// OutboxRow returns the row with this key, or store.ErrNotFound.
	OutboxRow(ctx context.Context, key string) (store.OutboxRow, error)
	// PutActionRef returns the ref of an alert's buttons (see store.ActionRefs).
	PutActionRef(ctx context.Context, r store.ActionRef) (store.ActionRef, error)
	// Mutes returns the mutes in force at now.
	Mutes(ctx context.Context, now time.Time) ([]store.Mute, error)
	// ReplyDocs returns the first reports added to a reply and how many
	// there are.
	ReplyDocs(ctx context.Context, id int64, limit int) ([]string, int, error)
}

// MaxReplyItems is how many reports a thread reply shows at most; the
// reply says how many more there are and which command lists them.
const MaxReplyItems = 10

// Renderer builds the chat message of an outbox row from the store when the
// row is sent, so alerts and replies show the latest source counts.
type Renderer struct {
	Store RenderStore
	// Zone is the IANA zone alerts and replies show times in (UTC when
	// empty): BOT_TIMEZONE.
	Zone string
	// Clock tells which mutes are in force; SystemClock when nil.
	Clock Clock
}

// Render returns the message row carries. Rows whose payload is a complete
// chat.Message (digests) are returned as they are.
func (r *Renderer) Render(ctx context.Context, row store.OutboxRow) (chat.Message, error) {
	switch row.Kind {
	case store.OutboxAlert, store.OutboxUpdate:
		rf, err := decodeRef(row.Payload)
		if err != nil {
			return chat.Message{}, err
		}
		m, total, err := r.story(ctx, rf, row, row.Kind == store.OutboxAlert)
		m.Channel, m.Zone = row.Channel, r.Zone
		if err == nil && m.Kind == chat.KindAlert {
			err = r.withControls(ctx, &m, rf.Story, row)
		}
		if err == nil && m.Kind == chat.KindUpdate {
			m.Text = replyText(rf.Story, total, len(m.Items), row.ParentKey == "")
		}
		return m, err
	case store.OutboxEdit:
		rf, err := decodeRef(row.Payload)
		if err != nil {
			return chat.Message{}, err
		}
		carrier, err := r.Store.OutboxRow(ctx, rf.Carrier)
		if err != nil {
			return chat.Message{}, fmt.Errorf("edit of %s: %w", rf.Carrier, err)
		}
		crf, err := decodeRef(carrier.Payload)
		if err != nil {
			return chat.Message{}, err
		}
		m, total, err := r.story(ctx, crf, carrier, carrier.Kind == store.OutboxAlert)
		if err == nil && m.Kind == chat.KindAlert {
			err = r.withControls(ctx, &m, crf.Story, row)
		}
		if err == nil && m.Kind == chat.KindUpdate {
			m.Text = replyText(crf.Story, total, len(m.Items), carrier.ParentKey == "")
		}
		m.Kind = chat.KindEdit
		m.Channel, m.Zone = row.Channel, r.Zone
		return m, err
	default:
		var m chat.Message
		if err := json.Unmarshal(row.Payload, &m); err != nil {
			return m, fmt.Errorf("decoding %s payload: %w", row.Kind, err)
		}
		m.Channel = row.Channel
		return m, nil
	}
}

// story renders an alert (lead article) or an update (items) of a story:
// the documents of row's payload, then those added to it as a reply, at
// most MaxReplyItems. It returns how many reports the row carries in all.
func (r *Renderer) story(ctx context.Context, rf ref, row store.OutboxRow, alert bool) (chat.Message, int, error) {
	st, err := r.Store.Story(ctx, rf.Story)
	if err != nil {
		return chat.Message{}, 0, fmt.Errorf("story %d: %w", rf.Story, err)
	}
	members, err := r.Store.StoryMembers(ctx, st.ID)
	if err != nil {
		return chat.Message{}, 0, fmt.Errorf("story %d members: %w", st.ID, err)
	}
	docs, total := rf.Docs, len(rf.Docs)
	if !alert {
		added, n, err := r.Store.ReplyDocs(ctx, row.ID, MaxReplyItems)
		if err != nil {
			return chat.Message{}, 0, fmt.Errorf("reports of %s: %w", row.Key, err)
		}
		total += n
		for _, id := range added {
			if slices.Contains(docs, id) {
				total-- // in the payload already
				continue
			}
			docs = append(docs, id)
		}
		docs = docs[:min(len(docs), MaxReplyItems)]
	}
	m := chat.Message{Kind: chat.KindUpdate, Heading: heading(st)}
	for i, id := range docs {
		d, err := r.Store.Document(ctx, id)
		if err != nil {
			return m, 0, fmt.Errorf("document %s: %w", id, err)
		}
		a, err := r.Store.Analysis(ctx, id)
		if err != nil {
			return m, 0, fmt.Errorf("analysis of %s: %w", id, err)
		}
		outlets, sources, err := r.copies(ctx, d, members)
		if err != nil {
			return m, 0, err
		}
		art := ArticleOf(d, a, st.Rule)
		if alert && i == 0 {
			m.Kind = chat.KindAlert
			m.Article = &art
			m.Outlets = outlets
			m.Sources = sources
			m.Why = why(a, st.Rule)
			m.Text = fmt.Sprintf("Story #%d", st.ID)
			continue
		}
		if sources > 1 {
			art.Source = strings.Join(outlets, ", ") + fmt.Sprintf(" (%d sources)", sources)
		}
		m.Items = append(m.Items, art)
	}
	return m, total, nil
}

// replyText heads a thread reply, or (private) the report sent to a
// story's followers, that carries total reports and shows shown of them.
func replyText(story int64, total, shown int, private bool) string {
	s := fmt.Sprintf("Story #%d: %s", story, english.Plural(total, "more report"))
	if private {
		s = followText(story, total)
	}
	if more := total - shown; more > 0 {
		s += fmt.Sprintf(" (the first %d below; %d more: /reports %d lists them all)", shown, more, story)
	}
	return s
}

// copies returns the outlets that carried d (itself and its near-copies in
// the story), then the news agencies they credit ("AFP wire", read from
// the text by corpus.Attribute), and how many copies there are, exact ones
// included.
func (r *Renderer) copies(ctx context.Context, d corpus.Document, members []store.StoryMember) ([]string, int, error) {
	outlets := []string{}
	add := func(s string) {
		if s != "" && !slices.Contains(outlets, s) {
			outlets = append(outlets, s)
		}
	}
	var credits []string
	credit := func(doc corpus.Document) {
		for _, c := range corpus.Attribute(doc.Body).Credits {
			if !slices.Contains(credits, c) {
				credits = append(credits, c)
			}
		}
	}
	add(d.Source)
	credit(d)
	sources := max(1, len(d.Paths))
	for _, mb := range members {
		if mb.CopyOf != d.ID {
			continue
		}
		c, err := r.Store.Document(ctx, mb.DocID)
		if err != nil {
			return nil, 0, fmt.Errorf("copy %s: %w", mb.DocID, err)
		}
		add(c.Source)
		credit(c)
		sources += max(1, len(c.Paths))
	}
	for _, c := range credits {
		if !slices.Contains(outlets, c) {
			add(c + " wire")
		}
	}
	return outlets, sources, nil
}

func heading(st store.Story) string {
	name := st.KeyName
	if name == "" {
		name = st.Key
	}
	if name == "" || name == "none" || strings.HasPrefix(name, "doc:") {
		return st.Rule
	}
	return name + " · " + st.Rule
}

// ArticleOf renders a document as a message article; rule, when set,
// chooses which match's place to show.
func ArticleOf(d corpus.Document, a corpus.Analysis, rule string) chat.Article {
	art := chat.Article{
		Title: d.Title, URL: d.URL, Source: d.Source,
		Published: d.Published, DateFromFile: d.DateFromFile,
		Lead: Lead(d, LeadLen),
	}
	art.Place = placeOf(a, rule)
	return art
}

func placeOf(a corpus.Analysis, rule string) string {
	for _, m := range a.Matches {
		if (rule == "" || m.Rule == rule) && len(m.Regions) > 0 {
			return m.Regions[0]
		}
	}
	if len(a.Regions) > 0 {
		r := a.Regions[0]
		country := r.CountryName
		if country == "" {
			country = r.Country // stored before country names were
		}
		switch {
		case r.Level == "country":
			return r.Name
		case r.Admin1Name != "" && r.Level != "admin1":
			return fmt.Sprintf("%s (%s, %s)", r.Name, r.Admin1Name, country)
		}
		return fmt.Sprintf("%s (%s)", r.Name, country)
	}
	return ""
}

func why(a corpus.Analysis, rule string) string {
	for _, m := range a.Matches {
		if m.Rule != rule {
			continue
		}
		if m.Evidence != "" {
			return m.Evidence
		}
		parts := []string{}
		if len(m.Keywords) > 0 {
			parts = append(parts, "keywords: "+strings.Join(m.Keywords, ", "))
		}
		if len(m.Regions) > 0 {
			parts = append(parts, "places: "+strings.Join(m.Regions, ", "))
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// Lead returns the start of the document's body, skipping a title it
// repeats and what opens the text before the article proper (photo
// captions, handles, "Follow us" lines, a leading outlet credit: see
// corpus.Attribution.Lead), cut at a word boundary to at most n characters.
func Lead(d corpus.Document, n int) string {
	body := strings.TrimSpace(d.Body[corpus.Attribute(d.Body).Lead:])
	if para, _, ok := strings.Cut(body, "\n"); ok && utf8.RuneCountInString(strings.TrimSpace(para)) >= 80 {
		body = para
	}
	body = strings.Join(strings.Fields(body), " ")
	if utf8.RuneCountInString(body) <= n {
		return body
	}
	cut, hard, count := 0, 0, 0
	for i, r := range body {
		if count == n-1 {
			hard = i
			break
		}
		if unicode.IsSpace(r) {
			cut = i
		}
		count++
	}
	if cut == 0 {
		cut = hard
	}
	return strings.TrimRight(body[:cut], " ,;:") + "…"
}
