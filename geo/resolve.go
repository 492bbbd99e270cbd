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
//   - Of several places sharing a name, the one whose admin1 region the text
//     names (through another name) wins, then the one whose country it
//     names, else the first (the most likely: country, admin1, capital,
//     then the most populous city).
//   - A Common name (Mobile, Nice, Reading) counts only when the text names
//     its place's admin1 region, or its country when the place is a country,
//     an admin1 region or a city of at least 100,000 people; at a sentence
//     start or in capitals it counts only when that region follows it at
//     once ("Mobile, Alabama").
//   - A word of four letters or fewer in capitals inside lower-case text is
//     an acronym (ANA, not Ana), unless a neighbouring word is in capitals
//     too (a headline) or it opens a line (a dateline: "ROME, March 3").
//   - A city or district right after a capitalised word or a title
//     ("Jesse Jackson", "Mr Lincoln") is taken for a surname unless the text
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
		n := &g.names[m.Name]
		if !caseOK(text, m, n) {
			continue
		}
		cs := g.candidates(m.Name)
		if len(cs) == 0 {
			continue
		}
		best, score := cs[0], 0
		for _, c := range cs {
			if s := g.support(ctx, c, int32(m.Name)); s > score {
				best, score = c, s
			}
		}
		p := &g.places[best]
		if n.Common {
			plain := m.Flags&(corpus.SentenceStart|corpus.AllCaps) == 0
			big := p.Level <= LevelAdmin1 || p.Population >= bigPlace
			switch {
			case !plain && !g.followedByRegion(text, mentions, i, best):
				continue
			case plain && score < supportAdmin1 && (score < supportCountry || !big):
				continue
			}
		}
		if !n.Upper && m.Flags&corpus.AllCaps != 0 && acronym(text, m) {
			continue
		}
		if score < supportAdmin1 && p.Level >= LevelAdmin2 && m.Flags&corpus.AllCaps == 0 && surname(text, mentions, i) {
			continue
		}
		dst = append(dst, Tag{Place: *p, Start: m.Start, End: m.End, Text: text[m.Start:m.End], Name: m.Name})
	}
	return dst
}

// bigPlace is the population from which a Common city counts when the
// text names its country.
const bigPlace = 100000

// named is a country or admin1 region the text names.
type named struct {
	place int32 // place index
	name  int32 // the name that named it
	weak  bool  // named by a demonym
}

// Support levels of a candidate place: how the rest of the text backs it.
const (
	supportNone    = 0
	supportDemonym = 1 // a demonym names its country
	supportCountry = 2 // a name of its country
	supportAdmin1  = 3 // a name of its admin1 region
)

// regionsNamed appends the countries and admin1 regions the text names by
// names that count on their own (not Common, written as names).
func (g *Gazetteer) regionsNamed(ctx []named, text string, mentions []Mention) []named {
	for _, m := range mentions {
		if !g.valid(text, m) {
			continue
		}
		n := &g.names[m.Name]
		if n.Common || !caseOK(text, m, n) {
			continue
		}
		for _, c := range g.candidates(m.Name) {
			if l := g.places[c].Level; l != LevelCountry && l != LevelAdmin1 {
				continue
			}
			e := named{place: c, name: int32(m.Name), weak: n.Demonym}
			dup := false
			for _, o := range ctx {
				if o == e {
					dup = true
					break
				}
			}
			if !dup {
				ctx = append(ctx, e)
			}
		}
	}
	return ctx
}

// support says how the regions named by names other than name back place
// index c.
func (g *Gazetteer) support(ctx []named, c, name int32) int {
	up := g.up[c]
	best := supportNone
	for _, e := range ctx {
		if e.name == name {
			continue
		}
		switch {
		case e.place == up.admin1 && !e.weak:
			return supportAdmin1
		case e.place == up.country && !e.weak:
			best = max(best, supportCountry)
		case e.place == up.country || e.place == up.admin1:
			best = max(best, supportDemonym)
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

// followedByRegion reports whether mention i is followed at once, after a
// comma or an opening parenthesis, by a name of place index c's admin1
// region or country ("Mobile, Alabama", "Of (Turkey)").
func (g *Gazetteer) followedByRegion(text string, mentions []Mention, i int, c int32) bool {
	end := mentions[i].End
	for j := i + 1; j < len(mentions); j++ {
		m := mentions[j]
		if m.Start < end {
			continue
		}
		if m.Start > end+3 || !g.valid(text, m) {
			return false
		}
		for k := end; k < m.Start; k++ {
			if b := text[k]; b != ' ' && b != ',' && b != '(' {
				return false
			}
		}
		n := &g.names[m.Name]
		if n.Common || n.Demonym || !caseOK(text, m, n) {
			return false
		}
		up := g.up[c]
		for _, o := range g.candidates(m.Name) {
			if o != c && (o == up.admin1 || o == up.country) {
				return true
			}
		}
		return false
	}
	return false
}
