package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/store"
)

// wordLike is implemented by place lookups that know which names are also
// ordinary words (geo.Gazetteer).
type wordLike interface {
	Common(query string) bool
}

// latest answers /latest: the newest articles about the place the query
// names or, when it names none, containing its words. A query that is both
// a place and an ordinary word (cocoa, Reading, Split, Mobile) answers
// with both lists, each labelled; a place with no articles falls back to
// the words, so the answer is never "Nothing found" while the words are in
// the corpus.
func (r *Router) latest(ctx context.Context, _ chat.Command, args string) chat.Message {
	q, n := splitCount(args)
	if strings.TrimSpace(q) == "" {
		return usageReply("latest")
	}
	f, name, isPlace := r.Resolve(q)
	if !isPlace {
		return r.wordHits(ctx, q, n, fmt.Sprintf("Latest on %q", q))
	}
	placeHits, err := r.Store.Latest(ctx, f, n)
	if err != nil {
		return r.fail("latest", err)
	}
	wl, ok := r.Places.(wordLike)
	ambiguous := ok && r.userRegion(q) == nil && wl.Common(q)
	if !ambiguous {
		if len(placeHits) == 0 {
			return r.wordHits(ctx, q, n, fmt.Sprintf("Nothing is tagged %s; articles with %q", name, q))
		}
		return hitsReply(fmt.Sprintf("Latest on %s", name), q, placeHits)
	}
	wordHits, err := r.Store.Search(ctx, q, n)
	if err != nil {
		return r.fail("latest", err)
	}
	return ambiguousReply(q, name, wordHits, placeHits)
}

// wordHits answers with the newest articles containing the words of q.
func (r *Router) wordHits(ctx context.Context, q string, n int, title string) chat.Message {
	hits, err := r.Store.Search(ctx, q, n)
	if err != nil {
		return r.fail("latest", err)
	}
	return hitsReply(title, q, hits)
}

// ambiguousReply lists the articles with the word q, then those about the
// place called name, each item labelled with which it is.
func ambiguousReply(q, name string, words, places []store.Hit) chat.Message {
	if len(words) == 0 && len(places) == 0 {
		return text(fmt.Sprintf("Nothing found for %q, as a word or as the place %s.", q, name))
	}
	m := chat.Message{Text: fmt.Sprintf("%q is a word and a place (%s): %s with the word, %s about the place, newest first",
		q, name, english.Plural(len(words), "article"), english.Plural(len(places), "article"))}
	for _, h := range words {
		a := ArticleOf(h.Doc, corpus.Analysis{}, "")
		a.Place, a.Lead = fmt.Sprintf("word %q", q), ""
		m.Items = append(m.Items, a)
	}
	for _, h := range places {
		a := ArticleOf(h.Doc, corpus.Analysis{}, "")
		a.Place, a.Lead = "place: "+h.Place, ""
		m.Items = append(m.Items, a)
	}
	return m
}
