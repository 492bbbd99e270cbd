package geo

import (
	"slices"
	"strings"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo/internal/apos"
)

// Gazetteer is a set of places and the names that denote them. It is
// immutable after construction and safe for concurrent use.
type Gazetteer struct {
	places  []Place // sorted by ID
	byID    map[int64]int32
	admin1  map[string]int32 // admin1 code -> place index
	admin2  map[string]int32 // admin2 code -> place index
	country map[string]int32 // ISO code -> place index
	// up holds, per place, the index of its admin1 region and its country
	// (the place itself at its own level), -1 when unknown.
	up []parents
	// level is each place's Level and big whether it is a region or a city
	// of at least bigPlace people: what resolving asks of a candidate, in
	// a table small enough to stay in cache.
	level []Level
	big   []bool

	names []Name
	keys  []string         // FoldName of each name
	byKey map[string]int32 // folded name -> first name index
	next  []int32          // next name index with the same key, -1 at the end
	// cand lists every name's places as place indexes, concatenated: name
	// i's are cand[candOff[i]:candOff[i+1]], unknown IDs left out.
	cand    []int32
	candOff []int32
	// pinned holds the place a user alias gives a folded name.
	pinned map[string]int64
}

type parents struct{ admin1, country int32 }

// New builds a gazetteer from places and names. Names that refer to unknown
// places are kept but those places are ignored; of several places with one
// ID the first is kept.
func New(places []Place, names []Name) *Gazetteer {
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = FoldName(n.Text)
	}
	return build(places, names, keys)
}

// build is New with the names' folded forms already known.
func build(places []Place, names []Name, keys []string) *Gazetteer {
	ps := slices.Clone(places)
	slices.SortStableFunc(ps, func(a, b Place) int { return cmpInt64(a.ID, b.ID) })
	ps = slices.CompactFunc(ps, func(a, b Place) bool { return a.ID == b.ID })
	g := &Gazetteer{
		places:  ps,
		byID:    make(map[int64]int32, len(ps)),
		admin1:  make(map[string]int32),
		admin2:  make(map[string]int32),
		country: make(map[string]int32),
		up:      make([]parents, len(ps)),
		level:   make([]Level, len(ps)),
		big:     make([]bool, len(ps)),
		names:   names,
		keys:    keys,
		byKey:   make(map[string]int32, len(names)),
		next:    make([]int32, len(names)),
		candOff: make([]int32, len(names)+1),
	}
	for i, p := range ps {
		g.byID[p.ID] = int32(i)
		g.level[i] = p.Level
		g.big[i] = p.Level <= LevelAdmin1 || p.Population >= bigPlace
		switch p.Level {
		case LevelCountry:
			g.country[p.Country] = int32(i)
		case LevelAdmin1:
			g.admin1[p.Admin1] = int32(i)
		case LevelAdmin2:
			g.admin2[p.Admin2] = int32(i)
		}
	}
	for i, p := range ps {
		g.up[i] = parents{admin1: -1, country: -1}
		if j, ok := g.admin1[p.Admin1]; ok && p.Admin1 != "" && p.Level >= LevelAdmin1 {
			g.up[i].admin1 = j
		}
		if j, ok := g.country[p.Country]; ok {
			g.up[i].country = j
		}
	}
	total := 0
	for _, n := range names {
		total += len(n.Places)
	}
	g.cand = make([]int32, 0, total)
	for i := range names {
		g.next[i] = -1
		k := keys[i]
		if j, ok := g.byKey[k]; ok {
			// A spelling folds like an earlier one: chain it last.
			for g.next[j] >= 0 {
				j = g.next[j]
			}
			g.next[j] = int32(i)
		} else {
			g.byKey[k] = int32(i)
		}
		for _, id := range names[i].Places {
			if pi, ok := g.byID[id]; ok {
				g.cand = append(g.cand, pi)
			}
		}
		g.candOff[i+1] = int32(len(g.cand))
	}
	return g
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FoldName folds a place name for comparison: Fold, then Persian ezafe
// connectors (i, e, ye) between words dropped, so "Qala-i-Naw",
// "Qala-e-Naw", "Qala-I Naw" and "Qala Naw" fold alike.
func FoldName(s string) string {
	words := strings.Fields(corpus.Fold(apos.Clean(s)))
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

// Folded returns FoldName(Names()[i].Text), computed once when the
// gazetteer was built. It panics when i is out of range.
func (g *Gazetteer) Folded(i int) string { return g.keys[i] }

// Len returns the number of places.
func (g *Gazetteer) Len() int { return len(g.places) }

// Place returns the place with this ID.
func (g *Gazetteer) Place(id int64) (Place, bool) {
	i, ok := g.byID[id]
	if !ok {
		return Place{}, false
	}
	return g.places[i], true
}

// Admin1Of returns the admin1 region that p lies in (p itself for an admin1).
func (g *Gazetteer) Admin1Of(p Place) (Place, bool) {
	if p.Admin1 == "" || p.Level < LevelAdmin1 {
		return Place{}, false
	}
	i, ok := g.admin1[p.Admin1]
	if !ok {
		return Place{}, false
	}
	return g.places[i], true
}

// Regions returns the admin1 region and the country that p lies in (p
// itself at its own level), with whether each is known.
func (g *Gazetteer) Regions(p Place) (admin1, country Place, hasAdmin1, hasCountry bool) {
	i, ok := g.byID[p.ID]
	if !ok {
		return Place{}, Place{}, false, false
	}
	if up := g.up[i]; up.admin1 >= 0 {
		admin1, hasAdmin1 = g.places[up.admin1], true
	}
	if up := g.up[i]; up.country >= 0 {
		country, hasCountry = g.places[up.country], true
	}
	return admin1, country, hasAdmin1, hasCountry
}

// Admin2Of returns the district that p lies in (p itself for a district).
// Districts are known for Afghanistan only.
func (g *Gazetteer) Admin2Of(p Place) (Place, bool) {
	if p.Admin2 == "" || p.Level < LevelAdmin2 {
		return Place{}, false
	}
	i, ok := g.admin2[p.Admin2]
	if !ok {
		return Place{}, false
	}
	return g.places[i], true
}

// CountryOf returns the country p lies in (p itself for a country).
func (g *Gazetteer) CountryOf(p Place) (Place, bool) {
	i, ok := g.country[p.Country]
	if !ok {
		return Place{}, false
	}
	return g.places[i], true
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

// Lookup returns the places a query names, in any known spelling (folded
// with FoldName; in Russian, Persian, Pashto or Arabic also inflected): the
// place a user alias gives that spelling first, then
// countries, admin1 regions, districts and cities, the largest region of
// that name first; within a level the most likely first (the order Resolve
// prefers). It returns nil when no place has that name.
func (g *Gazetteer) Lookup(query string) []Place {
	key := g.key(query)
	out := g.likely(key)
	pinned, hasPin := g.pinned[key]
	slices.SortStableFunc(out, func(a, b Place) int {
		if hasPin && (a.ID == pinned) != (b.ID == pinned) {
			if a.ID == pinned {
				return -1
			}
			return 1
		}
		return int(a.Level) - int(b.Level)
	})
	return out
}

// Common reports whether query, in any spelling the gazetteer knows, is
// also an ordinary word (cocoa, Reading, Split, Mobile) or a frequent
// surname: a name that a reader may have meant as a word.
func (g *Gazetteer) Common(query string) bool {
	first, ok := g.byKey[g.key(query)]
	if !ok {
		return false
	}
	for ni := first; ni >= 0; ni = g.next[ni] {
		if g.names[ni].Common {
			return true
		}
	}
	return false
}

// key returns the folded key a query is looked up by: FoldName, or when
// no name has it and the query is in a script that inflects (Russian,
// Persian, Pashto, Arabic), the first form without an inflection that a
// name has (Бадгисе: Бадгис; وبادغیس: بادغیس).
func (g *Gazetteer) key(query string) string {
	key := FoldName(query)
	if _, ok := g.byKey[key]; ok || key == "" {
		return key
	}
	words := strings.Split(key, " ")
	for _, pos := range []int{len(words) - 1, 0} {
		w := words[pos]
		for _, f := range corpus.Inflections(w) {
			words[pos] = f
			if k := strings.Join(words, " "); g.hasKey(k) {
				return k
			}
		}
		words[pos] = w
	}
	return key
}

func (g *Gazetteer) hasKey(k string) bool {
	_, ok := g.byKey[k]
	return ok
}

// likely returns the places of a folded name, the most likely first, or nil.
func (g *Gazetteer) likely(key string) []Place {
	first, ok := g.byKey[key]
	if !ok {
		return nil
	}
	var idx []int32
	for ni := first; ni >= 0; ni = g.next[ni] {
		for _, pi := range g.candidates(int(ni)) {
			if !slices.Contains(idx, pi) {
				idx = append(idx, pi)
			}
		}
	}
	out := make([]Place, len(idx))
	for i, pi := range idx {
		out[i] = g.places[pi]
	}
	return out
}

// candidates returns name i's places as place indexes.
func (g *Gazetteer) candidates(i int) []int32 {
	return g.cand[g.candOff[i]:g.candOff[i+1]]
}
