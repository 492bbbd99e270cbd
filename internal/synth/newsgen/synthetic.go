package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/internal/dataset"
)

// style is one corpus the synthetic articles imitate: word models of its
// bodies and headlines, and the lengths of its articles in words.
type style struct {
	body, titles *model
	lengths      []int
}

// Shares of the synthetic stream that are not new articles.
const (
	// copyShare is the share of near-copies: a recent article as another
	// outlet runs it, with a header, without its last paragraph, or under
	// another headline.
	copyShare = 0.04
	// dupShare is the share of exact duplicates: a recent article again,
	// word for word, from another URL.
	dupShare = 0.01
	// perDay is how many articles a day the stream carries.
	perDay = 2000
	// recent is how many of the latest articles copies are made from.
	recent = 512
)

// streamStart is the publication time of the first synthetic article.
var streamStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

var outlets = []string{"Reuters", "AFP", "AP", "BBC News", "Al Jazeera", "Dawn", "The Hindu",
	"Gulf News", "Deutsche Welle", "France 24", "Kyodo", "Xinhua", "Bloomberg", "The Guardian",
	"Arab News", "Khaama Press", "ANSA", "EFE", "Yonhap", "Anadolu"}

// styles reads Reuters-21578 and BBC News and builds their models.
func styles() ([]style, error) {
	stories, err := reutersStories()
	if err != nil {
		return nil, err
	}
	dir, ok := dataset.Dir("bbc-news")
	if !ok {
		return nil, fmt.Errorf("bbc-news not found: set WIREWATCH_DATA to the folder holding it")
	}
	arts, err := dataset.BBC(dir)
	if err != nil {
		return nil, err
	}
	var rb, rt, bb, bt []string
	var rl, bl []int
	for _, s := range stories {
		if strings.TrimSpace(s.Body) != "" {
			rb, rt = append(rb, s.Body), append(rt, s.Title+".")
			rl = append(rl, len(strings.Fields(s.Body)))
		}
	}
	for _, a := range arts {
		if a.Body != "" {
			bb, bt = append(bb, a.Body), append(bt, a.Title+".")
			bl = append(bl, len(strings.Fields(a.Body)))
		}
	}
	return []style{
		{body: newModel(rb), titles: newModel(rt), lengths: rl},
		{body: newModel(bb), titles: newModel(bt), lengths: bl},
	}, nil
}

// article draws one article of style s.
func (s *style) article(r *rand.Rand) (title, body string) {
	var b strings.Builder
	s.titles.sentence(r, &b, 14)
	title = strings.TrimSuffix(b.String(), ".")
	b.Reset()
	want := s.lengths[r.IntN(len(s.lengths))]
	words, inPara := 0, 0
	for words < want {
		if words > 0 {
			if inPara >= 2+r.IntN(3) {
				b.WriteString("\n\n")
				inPara = 0
			} else {
				b.WriteByte(' ')
			}
		}
		words += s.body.sentence(r, &b, 80)
		inPara++
	}
	return title, b.String()
}

// synthetic writes n articles in the order a wire archive would list them.
type synthetic struct {
	r      *rand.Rand
	styles []style
	// ring holds the latest originals, the material of copies.
	ring []Record
	at   []time.Time
	next int
}

func writeSynthetic(rw *recordWriter, n int, seed uint64) error {
	st, err := styles()
	if err != nil {
		return err
	}
	g := &synthetic{r: rand.New(rand.NewPCG(seed, 0x5eed)), styles: st}
	for i := range n {
		if err := rw.write(g.record(i)); err != nil {
			return err
		}
	}
	return nil
}

// streamTime is the time of the i-th article of the stream, before its
// jitter of up to two hours either way. (The interval is computed first:
// i days in nanoseconds overflows past 106,751 articles.)
func streamTime(i int) time.Time {
	return streamStart.Add(time.Duration(i) * (24 * time.Hour / perDay))
}

// record returns the i-th article of the stream.
func (g *synthetic) record(i int) Record {
	r := g.r
	at := streamTime(i).Add(time.Duration(r.Int64N(int64(4*time.Hour))) - 2*time.Hour)
	outlet := outlets[r.IntN(len(outlets))]
	u := fmt.Sprintf("https://%s.example/%s/%d", slug(outlet), at.Format("2006/01/02"), 100000+i)
	if p := r.Float64(); p < copyShare+dupShare && len(g.ring) > 0 {
		k := r.IntN(len(g.ring))
		orig := g.ring[k]
		rec := Record{Title: orig.Title, Body: orig.Body, Source: outlet, URL: u,
			Published: g.at[k].Add(time.Duration(10+r.IntN(12*60)) * time.Minute).Format(time.RFC3339)}
		if p < copyShare {
			lightEdit(r, &rec, outlet)
		}
		return rec
	}
	s := &g.styles[0]
	if r.IntN(10) == 0 {
		s = &g.styles[1]
	}
	title, body := s.article(r)
	rec := Record{Title: title, Body: body, Source: outlet, URL: u, Published: at.Format(time.RFC3339)}
	if len(g.ring) < recent {
		g.ring, g.at = append(g.ring, rec), append(g.at, at)
	} else {
		g.ring[g.next], g.at[g.next] = rec, at
		g.next = (g.next + 1) % recent
	}
	return rec
}

// lightEdit changes a copy the way another outlet runs a wire story: one
// or two of a header naming the outlet, the last paragraph dropped, a
// headline of its own.
func lightEdit(r *rand.Rand, rec *Record, outlet string) {
	edits := 0
	for edits == 0 {
		if r.IntN(2) == 0 {
			rec.Body = "(" + outlet + ") - " + rec.Body
			edits++
		}
		if paras := strings.Split(rec.Body, "\n\n"); len(paras) > 2 && r.IntN(2) == 0 {
			rec.Body = strings.Join(paras[:len(paras)-1], "\n\n")
			edits++
		}
		if r.IntN(3) == 0 {
			rec.Title = outlet + ": " + rec.Title
			edits++
		}
	}
}

func slug(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, " ", "-"))
}
