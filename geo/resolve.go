package geo

import (
	"unicode"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/corpus"
)

// Resolve turns the name mentions the matcher found in text, in text order,
// into places: one Tag per mention kept. The policy:
//
//   - A mention must be written as a name: capitalised or in capitals (or in
//     a script without case); an Upper name (US, UK) only in capitals.
//   - Of several places sharing a name, the first (the most likely: see
//     docs/gazetteer.md) unless the text names, through another name, the
//     admin1 region of another, or the country of another that is a region
//     or a city of at least 100,000 people (Georgia, U.S.).
//   - A name followed at once by a name of its region, after a comma or a
//     parenthesis, counts with that region whatever else holds: "Mobile,
//     Alabama", "PORTLAND, Ore.", "Herat (Afghanistan)"; so does a state's
//     abbreviation after a town the gazetteer does not know ("NORTHVALE,
//     N.J.").
//   - Otherwise a Common name (Mobile, Nice, Reading) counts only inside a
//     sentence, written capitalised, when the text names its place's admin1
//     region by another name, or its country when the place is a city of at
//     least 100,000 people and the next word is not a capitalised word of
//     another name ("Mobile PC").
//   - A word of four letters or fewer in capitals inside lower-case text is
//     an acronym (ANA, not Ana), unless a neighbouring word is in capitals
//     too (a headline) or it opens a line (a dateline: "ROME, March 3").
//   - A city or district right after a capitalised word, a title or an
//     initial ("Jesse Jackson", "Mr Lincoln", "Harvey T. Lyon") is taken for
//     a surname, and one joined by a hyphen to a capitalised word that is no
//     place ("Coca-Cola", "T-Mobile") for part of a name, unless the text
//     names the place's admin1 region.
func (g *Gazetteer) Resolve(text string, mentions []Mention) []Tag {
	return g.AppendResolve(nil, text, mentions)
}

// AppendResolve is Resolve appending to dst; it allocates only when dst
// must grow or when the text names many regions.
func (g *Gazetteer) AppendResolve(dst []Tag, text string, mentions []Mention) []Tag {
	var buf [32]named
	ctx := g.regionsNamed(buf[:0], text, mentions)
	for i, m := range mentions {
		if !g.valid(text, m) {
			continue
		}
		if c, _, ok := g.pair(text, mentions, i); ok {
			dst = g.appendTag(dst, text, m, c)
			continue
		}
		if i > 0 {
			if _, r, ok := g.pair(text, mentions, i-1); ok {
				dst = g.appendTag(dst, text, m, r)
				continue
			}
		}
		if r, ok := g.townRegion(text, m); ok {
			dst = g.appendTag(dst, text, m, r)
			continue
		}
		n := &g.names[m.Name]
		if !caseOK(text, m, n) {
			continue
		}
		cs := g.candidates(m.Name)
		if len(cs) == 0 {
			continue
		}
		best := cs[0]
		score := g.support(ctx, best, int32(m.Name))
		for _, c := range cs[1:] {
			if s := g.support(ctx, c, int32(m.Name)); s >= supportCountry && s > score {
				best, score = c, s
			}
		}
		p := &g.places[best]
		if n.Common {
			// A sentence's first word is capitalised whatever it is; in a
			// script without case that tells nothing.
			plain := m.Flags&(corpus.SentenceStart|corpus.AllCaps) == 0 || caseless(text, m)
			need := supportCountry
			if p.Level == LevelAdmin1 {
				need = supportAdmin1 // "Ore and Metals" in a US story is no Oregon
			}
			if !plain || score < need || score == supportCountry && properPhrase(text, mentions, i) {
				continue
			}
		}
		if !n.Upper && m.Flags&corpus.AllCaps != 0 && acronym(text, m) {
			continue
		}
		if score < supportAdmin1 && p.Level >= LevelAdmin2 &&
			(m.Flags&corpus.AllCaps == 0 && g.surname(text, mentions, i) || hyphenated(text, mentions, i)) {
			continue
		}
		dst = g.appendTag(dst, text, m, best)
	}
	return dst
}

func (g *Gazetteer) appendTag(dst []Tag, text string, m Mention, place int32) []Tag {
	return append(dst, Tag{Place: g.places[place], Start: m.Start, End: m.End, Text: text[m.Start:m.End],
		Name: m.Name, index: place + 1})
}

// bigPlace is the population from which naming a city's country backs it.
const bigPlace = 100000

// named is a country or admin1 region the text names.
type named struct {
	place   int32 // place index
	name    int32 // the name that named it
	weak    bool  // named by a demonym
	implied bool  // named by a city in it
}

// Support levels of a candidate place: how the rest of the text backs it.
const (
	supportNone    = 0
	supportWeak    = 1 // a demonym names its country, or a town's country is named
	supportCountry = 2 // a name of its country, for a region or a big city
	supportAdmin1  = 3 // a name of its admin1 region
)

// regionsNamed appends the countries and admin1 regions the text names by
// names that count on their own (not Common, written as names).
func (g *Gazetteer) regionsNamed(ctx []named, text string, mentions []Mention) []named {
	add := func(e named) {
		for _, o := range ctx {
			if o == e {
				return
			}
		}
		ctx = append(ctx, e)
	}
	for i, m := range mentions {
		if !g.valid(text, m) {
			continue
		}
		if _, r, ok := g.pair(text, mentions, i); ok {
			add(named{place: r, name: int32(mentions[i+1].Name)})
		}
		if r, ok := g.townRegion(text, m); ok {
			add(named{place: r, name: int32(m.Name)})
		}
		n := &g.names[m.Name]
		if n.Common || !caseOK(text, m, n) {
			continue
		}
		cs := g.candidates(m.Name)
		for _, c := range cs {
			if l := g.level[c]; l == LevelCountry || l == LevelAdmin1 {
				add(named{place: c, name: int32(m.Name), weak: n.Demonym})
			}
		}
		if len(cs) > 0 && g.level[cs[0]] >= LevelAdmin2 {
			// A city names its region by implication (Atlanta: Georgia).
			if up := g.up[cs[0]]; up.admin1 >= 0 {
				add(named{place: up.admin1, name: int32(m.Name), implied: true})
			}
		}
	}
	return ctx
}

// support says how the regions named by names other than name back place
// index c. Naming a country backs its regions and its big cities
// (supportCountry) more than its towns (supportWeak): the text naming
// Britain does not make Boston the Lincolnshire town. A city backs its own
// admin1 region as a country name would (Atlanta makes Georgia the state).
func (g *Gazetteer) support(ctx []named, c, name int32) int {
	up := g.up[c]
	big := g.big[c]
	best := supportNone
	for _, e := range ctx {
		if e.name == name {
			continue
		}
		switch {
		case e.place == up.admin1 && !e.weak && !e.implied:
			return supportAdmin1
		case e.place == up.admin1 && e.implied && c == up.admin1,
			e.place == up.country && !e.weak && big:
			best = max(best, supportCountry)
		case e.place == up.country || e.place == up.admin1:
			best = max(best, supportWeak)
		}
	}
	return best
}

// valid reports whether m fits text and the gazetteer.
func (g *Gazetteer) valid(text string, m Mention) bool {
	return m.Name >= 0 && m.Name < len(g.names) && m.Start >= 0 && m.Start < m.End && m.End <= len(text)
}

// caseOK reports whether mention m of name n is written as a name.
func caseOK(text string, m Mention, n *Name) bool {
	s := text[m.Start:m.End]
	if n.Upper {
		letters := 0
		for _, r := range s {
			if unicode.IsLower(r) {
				return false
			}
			if unicode.IsLetter(r) {
				letters++
			}
		}
		return letters > 0
	}
	if m.Flags&(corpus.Capitalised|corpus.AllCaps) != 0 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) && !unicode.IsLower(r) && !unicode.IsUpper(r) && !unicode.IsTitle(r)
}

// caseless reports whether mention m starts with a letter of a script
// without case (Arabic script).
func caseless(text string, m Mention) bool {
	r, _ := utf8.DecodeRuneInString(text[m.Start:m.End])
	return r >= utf8.RuneSelf && unicode.IsLetter(r) && !unicode.IsLower(r) && !unicode.IsUpper(r) && !unicode.IsTitle(r)
}

// pair reports whether mention i names a place inside the region that
// mention i+1 names right after it, after a comma or an opening
// parenthesis ("Mobile, Alabama", "PORTLAND, Ore.", "Herat (Afghanistan)"),
// and returns the place and region indexes. Such a pair counts even when
// its names are Common.
func (g *Gazetteer) pair(text string, mentions []Mention, i int) (place, region int32, ok bool) {
	if i+1 >= len(mentions) {
		return 0, 0, false
	}
	a, b := mentions[i], mentions[i+1]
	if b.Start <= a.End || b.Start > a.End+3 || !g.valid(text, a) || !g.valid(text, b) {
		return 0, 0, false
	}
	sep := false
	for k := a.End; k < b.Start; k++ {
		switch text[k] {
		case ',', '(':
			sep = true
		case ' ':
		default:
			return 0, 0, false
		}
	}
	na, nb := &g.names[a.Name], &g.names[b.Name]
	if !sep || nb.Demonym || na.Demonym || !caseOK(text, a, na) || !caseOK(text, b, nb) {
		return 0, 0, false
	}
	for _, r := range g.candidates(b.Name) {
		if l := g.level[r]; l != LevelAdmin1 && l != LevelCountry {
			continue
		}
		for _, c := range g.candidates(a.Name) {
			if c != r && (g.up[c].admin1 == r || g.up[c].country == r) {
				return c, r, true
			}
		}
	}
	return 0, 0, false
}

// townRegion reports whether mention m is an abbreviated region after a
// town the gazetteer does not know, as in the dateline "NORTHVALE, N.J.,
// March 11": a Common name of an admin1 region, after a comma and a
// capitalised word, with its abbreviation's dot. It returns the region.
func (g *Gazetteer) townRegion(text string, m Mention) (int32, bool) {
	if m.End >= len(text) || text[m.End] != '.' {
		return 0, false
	}
	n := &g.names[m.Name]
	cs := g.candidates(m.Name)
	if !n.Common || len(cs) == 0 || g.level[cs[0]] != LevelAdmin1 || !caseOK(text, m, n) {
		return 0, false
	}
	j := m.Start
	for j > 0 && text[j-1] == ' ' {
		j--
	}
	if j == m.Start || j == 0 || text[j-1] != ',' {
		return 0, false
	}
	w, _ := lastWord(text[:j-1])
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return 0, false
	}
	return cs[0], true
}
