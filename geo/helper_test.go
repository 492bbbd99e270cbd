package geo

import (
	"sync"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo/internal/ngram"
)

// matcher finds gazetteer names in text by longest token n-gram match: a
// small stand-in for the matcher of package rules.
type matcher struct {
	g *Gazetteer
	x *ngram.Index
}

func newMatcher(g *Gazetteer) *matcher { return &matcher{g: g, x: ngram.New(g.keys)} }

var defaultMatcher = sync.OnceValue(func() *matcher { return newMatcher(Default()) })

// mentions returns the names found in text, in text order.
func (m *matcher) mentions(text string) []Mention {
	toks := corpus.Tokenize(nil, text)
	var out []Mention
	for _, mt := range m.x.Scan(nil, toks) {
		out = append(out, Mention{
			Name:  mt.Key,
			Start: int(toks[mt.First].Start),
			End:   int(toks[mt.Last-1].End),
			Flags: toks[mt.First].Flags,
		})
	}
	return out
}

// tags resolves text with the matcher's gazetteer.
func (m *matcher) tags(text string) []Tag { return m.g.Resolve(text, m.mentions(text)) }
