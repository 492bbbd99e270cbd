package rules

import (
	"unicode"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
)

// scan finds in sc.toks every keyword occurrence and, leftmost-longest,
// every place name written as a name. Matches may span punctuation, so
// "U.S." and "St. Louis" are names.
func (m *Matcher) scan(sc *scratch, text string) {
	sc.hits, sc.mentions = sc.hits[:0], sc.mentions[:0]
	x, toks := m.idx, sc.toks
	nameUntil := 0 // names may not start before this token
	for i := range toks {
		h := toks[i].Hash
		if x.may(keywordRoot, h) {
			m.keywordsAt(sc, i)
		}
		if i >= nameUntil && (toks[i].Flags&(corpus.Capitalised|corpus.AllCaps) != 0 ||
			text[toks[i].Start] >= utf8.RuneSelf && writtenAsName(text, toks[i])) && x.may(nameRoot, h) {
			if end := m.nameAt(sc, i); end >= 0 {
				nameUntil = end + 1
			}
		}
	}
}

// keywordsAt records every keyword that starts at token i.
func (m *Matcher) keywordsAt(sc *scratch, i int) {
	x, toks := m.idx, sc.toks
	r, ok := x.lookup(keywordRoot, toks[i].Hash)
	for j := i; ok; {
		if r&refKeyword != 0 {
			sc.hits = append(sc.hits, hit{x.nodes[r.id()].keyword, toks[i].Start, toks[j].End})
		}
		if j++; r&refMore == 0 || j >= len(toks) {
			return
		}
		r, ok = x.next(r.id(), toks[j].Hash)
	}
}

// nameAt records the longest place name that starts at token i, skipping
// connector words (i, e, ye) inside it, and returns its last token, or -1.
func (m *Matcher) nameAt(sc *scratch, i int) int {
	x, toks := m.idx, sc.toks
	r, ok := x.lookup(nameRoot, toks[i].Hash)
	end, endNode := -1, uint32(0)
	for j := i; ok; {
		if r&refNames != 0 {
			end, endNode = j, r.id()
		}
		if j++; r&refMore == 0 || j >= len(toks) {
			break
		}
		c, found := x.next(r.id(), toks[j].Hash)
		for !found && toks[j].Flags&corpus.Connector != 0 && j+1 < len(toks) {
			j++
			c, found = x.next(r.id(), toks[j].Hash)
		}
		r, ok = c, found
	}
	if end < 0 {
		return -1
	}
	nd := &x.nodes[endNode]
	for _, ni := range x.names[nd.names[0]:nd.names[1]] {
		sc.mentions = append(sc.mentions, geo.Mention{
			Name: int(ni), Start: int(toks[i].Start), End: int(toks[end].End), Flags: toks[i].Flags,
		})
	}
	return end
}

// writtenAsName reports whether a name may start at token t: capitalised,
// in capitals, or in a script without case. geo.Gazetteer.Resolve keeps
// no other mention, so none is made.
func writtenAsName(text string, t corpus.Token) bool {
	if t.Flags&(corpus.Capitalised|corpus.AllCaps) != 0 {
		return true
	}
	c := text[t.Start]
	if c < utf8.RuneSelf {
		return false // a lower-case letter or a digit
	}
	r, _ := utf8.DecodeRuneInString(text[t.Start:])
	return unicode.IsLetter(r) && !unicode.IsLower(r) && !unicode.IsUpper(r) && !unicode.IsTitle(r)
}
