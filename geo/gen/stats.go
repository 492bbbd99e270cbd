package main

import (
	"fmt"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo/internal/ngram"
	"github.com/wirewatch/wirewatch/internal/dataset"
)

// usage counts how a one-word name is written in running text.
type usage struct {
	lower  int // in lower case: an ordinary word ("mobile phones")
	capMid int // capitalised inside a sentence
	// afterCap counts capMid uses right after a capitalised word inside the
	// sentence that is no place name: a surname ("Jesse Jackson").
	afterCap int
	// titled counts capitalised uses right after a title ("Mr Jackson").
	titled int
	// beforeCap counts capMid uses right before a capitalised word that
	// starts no place name: a first name or a word of a company's name
	// ("Robert Smith", "Piedmont Aviation").
	beforeCap int
}

// lowerCase reports whether no token is capitalised or in capitals.
func lowerCase(toks []corpus.Token) bool {
	for _, t := range toks {
		if t.Flags&(corpus.Capitalised|corpus.AllCaps) != 0 {
			return false
		}
	}
	return true
}

// capitalAfter reports whether n, right after t with one space between,
// is a capitalised word inside the sentence.
func capitalAfter(text string, t, n corpus.Token) bool {
	return int(t.End)+1 == int(n.Start) && text[t.End] == ' ' &&
		n.Flags&corpus.Capitalised != 0 && n.Flags&corpus.SentenceStart == 0
}

// countUsage counts, over the bodies of Reuters-21578 and BBC News, how
// each key is written, matching the longest names first so that "York" in
// "New York" is not counted as York.
func countUsage(reutersDir, bbcDir string, keys []string) ([]usage, error) {
	stories, err := dataset.Reuters(reutersDir)
	if err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	articles, err := dataset.BBC(bbcDir)
	if err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	x := ngram.New(keys)
	u := make([]usage, len(keys))
	var toks []corpus.Token
	var ms []ngram.Match
	count := func(text string) {
		toks = corpus.Tokenize(toks[:0], text)
		ms = x.Scan(ms[:0], toks)
		prevEnd := -1 // token index just past the previous match
		for i, m := range ms {
			t := toks[m.First]
			c := &u[m.Key]
			switch {
			case lowerCase(toks[m.First:m.Last]):
				c.lower++
			case t.Flags&(corpus.SentenceStart|corpus.AllCaps) == 0 && t.Flags&corpus.Capitalised != 0:
				c.capMid++
				if m.First > 0 && prevEnd != m.First && surnameBefore(text, toks[m.First-1], t) {
					c.afterCap++
					if title[corpus.FoldedWord(text, toks[m.First-1])] {
						c.titled++
					}
				}
				nextMatch := i+1 < len(ms) && ms[i+1].First == m.Last
				if m.Last < len(toks) && !nextMatch && capitalAfter(text, toks[m.Last-1], toks[m.Last]) {
					c.beforeCap++
				}
			}
			prevEnd = m.Last
		}
	}
	for _, s := range stories {
		count(s.Body)
	}
	for _, a := range articles {
		count(a.Body)
	}
	return u, nil
}

// surnameBefore reports whether word p, right before t with one space
// between, is a capitalised word inside a sentence that is not a place
// qualifier: a first name or a title.
func surnameBefore(text string, p, t corpus.Token) bool {
	if int(p.End)+1 != int(t.Start) || text[p.End] != ' ' {
		return false
	}
	if p.Flags&corpus.Capitalised == 0 || p.Flags&(corpus.AllCaps|corpus.SentenceStart) != 0 {
		return false
	}
	return !qualifier[corpus.FoldedWord(text, p)]
}

// title lists words that put a surname after them.
var title = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "sir": true, "lord": true, "lady": true,
	"president": true, "senator": true, "sen": true, "governor": true, "gov": true, "judge": true,
	"coach": true, "minister": true, "chancellor": true, "general": true, "gen": true,
}

// qualifier lists capitalised words that often stand before a place name.
var qualifier = map[string]bool{
	"north": true, "south": true, "east": true, "west": true, "northern": true, "southern": true,
	"eastern": true, "western": true, "central": true, "greater": true, "upper": true,
	"lower": true, "new": true, "old": true, "downtown": true, "metropolitan": true,
}
