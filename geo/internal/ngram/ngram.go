// Package ngram finds folded names in tokenized text by longest match over
// token n-grams. It is the small matcher the gazetteer's generator and
// evaluation use; the production matcher lives in package rules.
package ngram

import (
	"strings"

	"github.com/wirewatch/wirewatch/corpus"
)

// Index maps folded names (words separated by single spaces) to their
// indexes.
type Index struct {
	m      map[uint64]int32
	maxLen int
}

const prime = 1099511628211

func mix(h, w uint64) uint64 { return (h ^ w) * prime }

// New indexes keys; a key's index is its position. Of equal keys the first
// is kept.
func New(keys []string) *Index {
	x := &Index{m: make(map[uint64]int32, len(keys))}
	for i, k := range keys {
		words := strings.Fields(k)
		if len(words) == 0 {
			continue
		}
		h := uint64(0)
		for _, w := range words {
			h = mix(h, corpus.HashWord(w))
		}
		if _, ok := x.m[h]; !ok {
			x.m[h] = int32(i)
		}
		x.maxLen = max(x.maxLen, len(words))
	}
	return x
}

// Match is one name found: key index and the tokens [First, Last) it spans.
type Match struct {
	Key         int
	First, Last int
}

// Scan appends to dst the longest matches in toks, left to right, without
// overlaps. Connector tokens (i, e, ye) neither start a match nor count as
// words inside one, so "Qala-i-Naw" matches the key "qala naw".
func (x *Index) Scan(dst []Match, toks []corpus.Token) []Match {
	for i := 0; i < len(toks); {
		if toks[i].Flags&corpus.Connector != 0 {
			i++
			continue
		}
		h, words := uint64(0), 0
		best, bestEnd := -1, 0
		for j := i; j < len(toks) && words < x.maxLen; j++ {
			if toks[j].Flags&corpus.Connector != 0 && j > i {
				continue
			}
			h = mix(h, toks[j].Hash)
			words++
			if k, ok := x.m[h]; ok {
				best, bestEnd = int(k), j+1
			}
		}
		if best < 0 {
			i++
			continue
		}
		dst = append(dst, Match{Key: best, First: i, Last: bestEnd})
		i = bestEnd
	}
	return dst
}
