// Package digest decides what goes into a digest and in which order. It
// knows nothing of Slack or Telegram: it returns a chat.Message that every
// transport renders its own way.
package digest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/store"
)

// DefaultMax caps the stories of a digest when the digest sets no max.
const DefaultMax = 20

// Period is how far back a digest looks.
const Period = 24 * time.Hour

// Source is what a digest reads.
type Source interface {
	Stories(ctx context.Context, rules []string, since, until time.Time, limit int) ([]store.Story, error)
	StoryMembers(ctx context.Context, storyID int64) ([]store.StoryMember, error)
	Document(ctx context.Context, id string) (corpus.Document, error)
	Analysis(ctx context.Context, id string) (corpus.Analysis, error)
}

// Spec says which digest to build.
type Spec struct {
	Name  string
	Rules []string
	Max   int
	// Until is the end of the period (now); Since its start.
	Since, Until time.Time
	// Location is the time zone the digest's dates are shown in.
	Location *time.Location
}

// Entry is one story of a digest.
type Entry struct {
	Story   store.Story
	Lead    corpus.Document
	Reports int
	Copies  int
	Outlets []string
	Place   string
}

// Digest is the stories of a period, most reported first.
type Digest struct {
	Spec    Spec
	Entries []Entry
	// Omitted counts stories left out by Max.
	Omitted int
}

// Build reads the stories of spec's rules active in [Since, Until) and
// orders them: most reports first, then most recent, then by story id.
func Build(ctx context.Context, src Source, spec Spec) (Digest, error) {
	if spec.Max <= 0 {
		spec.Max = DefaultMax
	}
	if spec.Location == nil {
		spec.Location = time.UTC
	}
	stories, err := src.Stories(ctx, spec.Rules, spec.Since, spec.Until, 1000)
	if err != nil {
		return Digest{}, fmt.Errorf("digest %s: %w", spec.Name, err)
	}
	d := Digest{Spec: spec}
	for _, st := range stories {
		members, err := src.StoryMembers(ctx, st.ID)
		if err != nil {
			return d, fmt.Errorf("digest %s: story %d: %w", spec.Name, st.ID, err)
		}
		if len(members) == 0 {
			continue
		}
		e := Entry{Story: st, Reports: len(members)}
		for _, m := range members {
			doc, err := src.Document(ctx, m.DocID)
			if err != nil {
				return d, fmt.Errorf("digest %s: document %s: %w", spec.Name, m.DocID, err)
			}
			if e.Lead.ID == "" {
				e.Lead = doc
			}
			if m.CopyOf != "" {
				e.Copies++
			}
			if doc.Source != "" && !slices.Contains(e.Outlets, doc.Source) {
				e.Outlets = append(e.Outlets, doc.Source)
			}
		}
		e.Place = st.KeyName
		d.Entries = append(d.Entries, e)
	}
	slices.SortFunc(d.Entries, func(a, b Entry) int {
		if c := cmp.Compare(b.Reports, a.Reports); c != 0 {
			return c
		}
		if c := b.Story.Last.Compare(a.Story.Last); c != 0 {
			return c
		}
		return cmp.Compare(a.Story.ID, b.Story.ID)
	})
	if len(d.Entries) > spec.Max {
		d.Omitted = len(d.Entries) - spec.Max
		d.Entries = d.Entries[:spec.Max]
	}
	return d, nil
}

// Message renders the digest as a neutral chat message: one item per story,
// its times in the digest's zone (Spec.Location).
func (d Digest) Message() chat.Message {
	loc := d.Spec.Location
	m := chat.Message{Kind: chat.KindDigest, Heading: "Digest: " + d.Spec.Name, Zone: loc.String()}
	if len(d.Entries) == 0 {
		m.Text = fmt.Sprintf("No new stories from %s to %s.",
			d.Spec.Since.In(loc).Format("Jan 2 15:04"), d.Spec.Until.In(loc).Format("Jan 2 15:04 MST"))
		return m
	}
	m.Text = fmt.Sprintf("%s from %s to %s, most reported first.", english.Plural(len(d.Entries)+d.Omitted, "story"),
		d.Spec.Since.In(loc).Format("Jan 2 15:04"), d.Spec.Until.In(loc).Format("Jan 2 15:04 MST"))
	for _, e := range d.Entries {
		src := english.Plural(e.Reports, "report")
		if len(e.Outlets) > 0 {
			src += " from " + joinMax(e.Outlets, 4)
		}
		m.Items = append(m.Items, chat.Article{
			Title:        fmt.Sprintf("#%d %s", e.Story.ID, e.Lead.Title),
			URL:          e.Lead.URL,
			Source:       src,
			Published:    e.Story.Last,
			DateFromFile: e.Lead.DateFromFile,
			Place:        e.Place,
		})
	}
	if d.Omitted > 0 {
		m.Text += fmt.Sprintf(" %d more not shown.", d.Omitted)
	}
	return m
}

func joinMax(s []string, n int) string {
	if len(s) <= n {
		return join(s)
	}
	return join(s[:n]) + fmt.Sprintf(" and %d more", len(s)-n)
}

func join(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}
