package rules

import (
	"unicode"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
)

// scan finds in sc.toks every keyword occurrence and, leftmost-longest,
// every place name written as a name. Matches may span punctuation, so
// "U.S." and "St. Louis" are names. A word of Cyrillic or Arabic script
// that starts or continues nothing as written is tried in the forms it may
// stand for without its inflection (corpus.Variants): "в Бадгисе",
// "وبادغیس".
func (m *Matcher) scan(sc *scratch, text string) {
	sc.hits, sc.mentions = sc.hits[:0], sc.mentions[:0]
	x, toks := m.idx, sc.toks
	nameUntil := 0 // names may not start before this token
	for i := range toks {
		h, fl := toks[i].Hash, toks[i].Flags
		if x.may(keywordRoot, h) {
			m.keywordsAt(sc, i, h)
		} else if fl&inflected != 0 {
			m.inflectedKeywordsAt(sc, text, i)
		}
		if i < nameUntil || fl&(corpus.Capitalised|corpus.AllCaps) == 0 &&
			(text[toks[i].Start] < utf8.RuneSelf || !writtenAsName(text, toks[i])) {
			continue
		}
		end := -1
		if root := rootOf(fl); x.may(root, h) {
			end = m.nameAt(sc, text, root, i, h)
		}
		if end < 0 && fl&inflected != 0 {
			end = m.inflectedNameAt(sc, text, i)
		}
		if end >= 0 {
			nameUntil = end + 1
		}
	}
}

// inflectedKeywordsAt records the keywords that start at token i in a form
// without its inflection.
func (m *Matcher) inflectedKeywordsAt(sc *scratch, text string, i int) {
	for _, v := range sc.variants(text, i) {
		if m.idx.may(keywordRoot, v) {
			m.keywordsAt(sc, i, v)
			return
		}
	}
}

// inflectedNameAt is nameAt for token i in a form without its inflection.
func (m *Matcher) inflectedNameAt(sc *scratch, text string, i int) int {
	for _, v := range sc.variants(text, i) {
		if m.idx.may(scriptRoot, v) {
			if end := m.nameAt(sc, text, scriptRoot, i, v); end >= 0 {
				return end
			}
		}
	}
	return -1
}

// inflected are the scripts whose words have variants.
const inflected = corpus.Cyrillic | corpus.Arabic

// variants returns the hashes of the forms token i may stand for without
// its inflection, computed once per token and call.
func (sc *scratch) variants(text string, i int) []uint64 {
	if sc.varTok != i+1 {
		sc.varTok = i + 1
		sc.vars = corpus.Variants(sc.vars[:0], text, sc.toks[i])
	}
	return sc.vars
}

// step follows the edge from node r on token j as written or, for a word
// of an inflecting script, in a form without its inflection.
func (m *Matcher) step(sc *scratch, text string, r ref, j int) (ref, bool) {
	if c, ok := m.idx.next(r.id(), sc.toks[j].Hash); ok || sc.toks[j].Flags&inflected == 0 {
		return c, ok
	}
	return m.stepInflected(sc, text, r, j)
}

// stepInflected follows the edge from node r on a form of token j without
// its inflection.
func (m *Matcher) stepInflected(sc *scratch, text string, r ref, j int) (ref, bool) {
	for _, v := range sc.variants(text, j) {
		if c, ok := m.idx.next(r.id(), v); ok {
			return c, true
		}
	}
	return 0, false
}

// keywordsAt records every keyword that starts at token i, whose hash (as
// written or a variant) is h.
func (m *Matcher) keywordsAt(sc *scratch, i int, h uint64) {
	x, toks := m.idx, sc.toks
	r, ok := x.lookup(keywordRoot, h)
	for j := i; ok; {
		if r&refKeyword != 0 {
			sc.hits = append(sc.hits, hit{x.nodes[r.id()].keyword, toks[i].Start, toks[j].End})
		}
		if j++; r&refMore == 0 || j >= len(toks) {
			return
		}
		r, ok = x.next(r.id(), toks[j].Hash)
		if !ok && toks[j].Flags&inflected != 0 {
			r, ok = m.stepInflected(sc, sc.text, r, j)
		}
	}
}

// nameAt records the longest place name under root that starts at token i,
// whose hash (as written or a variant) is h, skipping connector words (i, e, ye)
// inside it, and returns its last token, or -1.
func (m *Matcher) nameAt(sc *scratch, text string, root uint32, i int, h uint64) int {
	x, toks := m.idx, sc.toks
	r, ok := x.lookup(root, h)
	end, endNode := -1, uint32(0)
	for j := i; ok; {
		if r&refNames != 0 {
			end, endNode = j, r.id()
		}
		if j++; r&refMore == 0 || j >= len(toks) {
			break
		}
		c, found := x.next(r.id(), toks[j].Hash)
		if !found && toks[j].Flags&inflected != 0 {
			c, found = m.stepInflected(sc, text, r, j)
		}
		for !found && toks[j].Flags&corpus.Connector != 0 && j+1 < len(toks) {
			j++
			c, found = m.step(sc, text, r, j)
		}
		r, ok = c, found
	}
	if end < 0 {
		return -1
	}
	var one [1]int32
	for _, ni := range x.namesAt(endNode, &one) {
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
