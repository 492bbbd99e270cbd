package geo

import (
	"strings"

	"github.com/wirewatch/wirewatch/corpus"
)

// Gazetteer is a set of places and the names that denote them. It is
// immutable after construction and safe for concurrent use.
type Gazetteer struct {
	places   map[int64]Place
	admin1   map[string]int64 // admin1 code -> place id
	country  map[string]int64 // ISO code -> place id
	names    []Name
	byFolded map[string][]int // folded name (connectors dropped) -> name indexes
}

// New builds a gazetteer from places and names. Names that refer to unknown
// places are kept but those places are ignored.
func New(places []Place, names []Name) *Gazetteer {
	g := &Gazetteer{
		places:   make(map[int64]Place, len(places)),
		admin1:   make(map[string]int64),
		country:  make(map[string]int64),
		names:    names,
		byFolded: make(map[string][]int, len(names)),
	}
	for _, p := range places {
		g.places[p.ID] = p
		switch p.Level {
		case LevelAdmin1:
			g.admin1[p.Admin1] = p.ID
		case LevelCountry:
			g.country[p.Country] = p.ID
		}
	}
	for i, n := range names {
		k := FoldName(n.Text)
		g.byFolded[k] = append(g.byFolded[k], i)
	}
	return g
}

// FoldName folds a place name for comparison: Fold, then Persian ezafe
// connectors (i, e, ye) between words dropped, so "Qala-i-Naw",
// "Qala-e-Naw", "Qala-I Naw" and "Qala Naw" fold alike.
func FoldName(s string) string {
	words := strings.Fields(corpus.Fold(s))
	out := words[:0]
	for i, w := range words {
		if i > 0 && i < len(words)-1 && (w == "i" || w == "e" || w == "ye") {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// Names returns every spelling the gazetteer knows. The slice must not be
// modified; Mention.Name indexes it.
func (g *Gazetteer) Names() []Name { return g.names }

// Place returns the place with this ID.
func (g *Gazetteer) Place(id int64) (Place, bool) {
	p, ok := g.places[id]
	return p, ok
}

// Admin1Of returns the admin1 region that p lies in (p itself for an admin1).
func (g *Gazetteer) Admin1Of(p Place) (Place, bool) {
	if p.Admin1 == "" {
		return Place{}, false
	}
	id, ok := g.admin1[p.Admin1]
	if !ok {
		return Place{}, false
	}
	return g.places[id], true
}

// CountryOf returns the country p lies in (p itself for a country).
func (g *Gazetteer) CountryOf(p Place) (Place, bool) {
	id, ok := g.country[p.Country]
	if !ok {
		return Place{}, false
	}
	return g.places[id], true
}

// Within reports whether p is region or lies inside it.
func (g *Gazetteer) Within(p, region Place) bool {
	if p.ID == region.ID {
		return true
	}
	switch region.Level {
	case LevelCountry:
		return p.Country == region.Country
	case LevelAdmin1:
		return p.Admin1 != "" && p.Admin1 == region.Admin1
	case LevelAdmin2:
		return p.Admin2 != "" && p.Admin2 == region.Admin2
	}
	return false
}

// Lookup returns the places a query names, in any known spelling: countries
// and admin1 regions first, then districts, then cities by population.
func (g *Gazetteer) Lookup(query string) []Place {
	var out []Place
	seen := map[int64]bool{}
	for _, ni := range g.byFolded[FoldName(query)] {
		for _, id := range g.names[ni].Places {
			if p, ok := g.places[id]; ok && !seen[id] {
				seen[id] = true
				out = append(out, p)
			}
		}
	}
	sortPlaces(out)
	return out
}

func sortPlaces(ps []Place) {
	less := func(a, b Place) bool {
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		return a.Population > b.Population
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && less(ps[j], ps[j-1]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// Resolve turns the name mentions the matcher found in text into places.
// A mention must be capitalised as written; a Common name is kept only when
// the text also names its country or admin1 region; an ambiguous name
// takes the place whose country or region the text names, else its first.
func (g *Gazetteer) Resolve(text string, mentions []Mention) []Tag {
	ctxCountry := map[string]bool{}
	ctxAdmin1 := map[string]bool{}
	for _, m := range mentions {
		n := g.names[m.Name]
		if n.Common || m.Flags&(corpus.Capitalised|corpus.AllCaps) == 0 {
			continue
		}
		for _, id := range n.Places {
			p := g.places[id]
			switch p.Level {
			case LevelCountry:
				ctxCountry[p.Country] = true
			case LevelAdmin1:
				ctxAdmin1[p.Admin1] = true
			}
		}
	}
	var tags []Tag
	for _, m := range mentions {
		if m.Flags&(corpus.Capitalised|corpus.AllCaps) == 0 {
			continue
		}
		n := g.names[m.Name]
		var pick Place
		found := false
		for _, id := range n.Places {
			p, ok := g.places[id]
			if !ok {
				continue
			}
			if ctxAdmin1[p.Admin1] || ctxCountry[p.Country] && p.Level != LevelCountry {
				pick, found = p, true
				break
			}
		}
		if !found && !n.Common && len(n.Places) > 0 {
			pick, found = g.places[n.Places[0]]
		}
		if found {
			tags = append(tags, Tag{Place: pick, Start: m.Start, End: m.End, Text: text[m.Start:m.End]})
		}
	}
	return tags
}
