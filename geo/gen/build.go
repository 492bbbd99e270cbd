package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/wirewatch/wirewatch/geo"
)

// The corpus rules for Common names, from how Reuters-21578 and BBC News
// write each name:
//
//   - an ordinary word: written in lower case at least minLower times and
//     in at least lowerShare of its uses inside sentences ("mobile");
//   - a surname: after a title ("Mr Jackson") at least minTitled times and
//     in at least titledShare of its capitalised uses;
//   - a word of a person's or a company's name, for a place weighing less
//     than bigPlace (population, or its cities' for a region): right after
//     or right before another capitalised word at least minPerson times and
//     in at least personShare of its capitalised uses ("Robert Smith",
//     "Paul Volcker", "Piedmont Aviation").
//
// Country names are never Common by these rules (only by the hand list).
const (
	minLower    = 3
	lowerShare  = 0.25
	minTitled   = 3
	titledShare = 0.1
	minPerson   = 5
	personShare = 0.5
	bigPlace    = 200000
)

type stats struct {
	places, names, common int
	bytes                 int64
}

// group is every spelling that folds to one key.
type group struct {
	key       string
	spellings []spelling
}

// generate builds the gazetteer from cfg's inputs and writes it to w.
func generate(cfg config, w io.Writer) (stats, error) {
	src, err := readGeoNames(cfg.geonames)
	if err != nil {
		return stats{}, err
	}
	for _, f := range []string{cfg.press, cfg.scripts} {
		if err := readPress(f, src); err != nil {
			return stats{}, err
		}
	}
	src.addCLDR()
	hand, never, err := readCommon(cfg.common)
	if err != nil {
		return stats{}, err
	}
	groups := groupSpellings(src.names)
	keys := make([]string, len(groups))
	for i, gr := range groups {
		keys[i] = gr.key
	}
	use, err := countUsage(cfg.reuters, cfg.bbc, keys)
	if err != nil {
		return stats{}, err
	}
	isHand := setOfFolded(hand)
	isNever := setOfFolded(never)

	var st stats
	names := make([]geo.Name, 0, len(groups))
	for i, gr := range groups {
		n, err := src.name(gr)
		if err != nil {
			return stats{}, err
		}
		why := ""
		switch {
		case isNever[gr.key] || len(n.Places) == 0:
		case isHand[gr.key]:
			why = "hand list"
		case strings.Contains(gr.flags(), "c"):
			why = "press.tsv"
		case n.Upper || src.places[n.Places[0]].Level == geo.LevelCountry && !gr.cldrOnly():
			// Country names and capitals-only names keep to the hand list;
			// a country's name in another language (Island, Kina) is
			// judged by how the English corpora write it.
		case src.caselessTown(gr, n):
			why = "caseless script"
		case commonWord(use[i]):
			why = "lower case"
		case surnameLike(use[i]):
			why = "surname"
		case personLike(use[i], src.places[n.Places[0]].weight):
			why = "person or company"
		}
		if why != "" {
			n.Common = true
			st.common++
			if cfg.report {
				fmt.Fprintf(os.Stderr, "common\t%s\t%s\tlower=%d cap=%d afterCap=%d titled=%d beforeCap=%d\t%s\n", gr.key, why,
					use[i].lower, use[i].capMid, use[i].afterCap, use[i].titled, use[i].beforeCap, src.describe(n.Places[0]))
			}
		} else if cfg.report && len(n.Places) > 0 && (use[i].capMid > 0 || use[i].lower > 0) {
			fmt.Fprintf(os.Stderr, "plain\t%s\t-\tlower=%d cap=%d afterCap=%d titled=%d beforeCap=%d\t%s\n", gr.key,
				use[i].lower, use[i].capMid, use[i].afterCap, use[i].titled, use[i].beforeCap, src.describe(n.Places[0]))
		}
		names = append(names, n)
	}
	places := make([]geo.Place, 0, len(src.places))
	for _, p := range src.places {
		places = append(places, p.Place)
	}
	g := geo.New(places, names)
	size, err := g.WriteTo(w)
	if err != nil {
		return stats{}, fmt.Errorf("gen: %w", err)
	}
	st.places, st.names, st.bytes = len(places), len(names), size
	return st, nil
}

func commonWord(u usage) bool {
	return u.lower >= minLower && float64(u.lower) >= lowerShare*float64(u.lower+u.capMid)
}

func surnameLike(u usage) bool {
	return u.titled >= minTitled && float64(u.titled) >= titledShare*float64(u.capMid)
}

func personLike(u usage, weight int64) bool {
	n := u.afterCap + u.beforeCap
	return weight < bigPlace && n >= minPerson && float64(n) >= personShare*float64(u.capMid)
}

// groupSpellings groups spellings by folded key, sorted by key. Spellings
// that fold to nothing, that begin or end with a connector word, which
// matchers skip ("Chang-i", "Ye"), or whose folded form folds again to
// something else ("Strǣtburg") are dropped.
func groupSpellings(sp []spelling) []group {
	by := map[string]*group{}
	for _, s := range sp {
		k := geo.FoldName(s.text)
		if k == "" || edgeConnector(k) || geo.FoldName(k) != k {
			continue
		}
		gr := by[k]
		if gr == nil {
			gr = &group{key: k}
			by[k] = gr
		}
		gr.spellings = append(gr.spellings, s)
	}
	out := make([]group, 0, len(by))
	for _, gr := range by {
		out = append(out, *gr)
	}
	slices.SortFunc(out, func(a, b group) int { return strings.Compare(a.key, b.key) })
	return out
}

// cldrOnly reports whether every spelling of the group is a CLDR name.
func (gr group) cldrOnly() bool {
	for _, s := range gr.spellings {
		if s.src != srcCLDR {
			return false
		}
	}
	return true
}

// caselessTown reports whether n is one word in a script without case
// (Arabic script) naming first a city that is no national capital, with no
// curated spelling. Nothing tells such a name from an ordinary word of the
// same letters (a town called "Victory" in Arabic), so it counts only with
// its region or country named, like Mobile or Nice.
func (s *source) caselessTown(gr group, n geo.Name) bool {
	if strings.Contains(gr.key, " ") || len(n.Places) == 0 {
		return false
	}
	for _, sp := range gr.spellings {
		if sp.src == srcPress {
			return false
		}
	}
	for _, r := range gr.key {
		if unicode.IsUpper(r) || unicode.IsLower(r) || !unicode.IsLetter(r) {
			return false
		}
	}
	p := s.places[n.Places[0]]
	return p.Level == geo.LevelCity && !p.capital()
}

// flags returns the union of the press flags of the group's spellings.
func (gr group) flags() string {
	var f string
	for _, s := range gr.spellings {
		for _, c := range s.flags {
			if !strings.ContainsRune(f, c) {
				f += string(c)
			}
		}
	}
	return f
}

// name makes the group's Name and orders its places, the most likely
// first: places press.tsv lists; countries; places that bear the spelling
// as their own GeoNames name rather than as an alternate name ("Philadelphia"
// is an old name of Amman); national capitals; then by weight (population,
// or for a region the population of its cities: Manchester, England before
// Manchester, Jamaica). Its text is the most trusted spelling of its first
// place.
func (s *source) name(gr group) (geo.Name, error) {
	pressed := map[int64]bool{}
	primary := map[int64]bool{} // named so by its GeoNames name
	other := map[int64]bool{}   // named so by more than CLDR
	var ids []int64
	blocker := false
	for _, sp := range gr.spellings {
		if sp.place == 0 {
			blocker = true
			continue
		}
		if sp.src != srcCLDR {
			other[sp.place] = true
		}
		switch sp.src {
		case srcPress:
			pressed[sp.place] = true
		case srcPrimary, srcASCII:
			primary[sp.place] = true
		}
		if !slices.Contains(ids, sp.place) {
			ids = append(ids, sp.place)
		}
	}
	if blocker {
		// A blocker names no place, whatever GeoNames says ("White House"
		// is also a name of Casablanca).
		return geo.Name{Text: gr.spellings[0].text}, nil
	}
	if len(other) > 0 {
		// A country's name in some other language that is also a name of
		// another place here gives way to it.
		ids = slices.DeleteFunc(ids, func(id int64) bool { return !other[id] })
	}
	slices.SortFunc(ids, func(a, b int64) int {
		pa, pb := s.places[a], s.places[b]
		return cmp.Or(
			-cmpBool(pressed[a], pressed[b]),
			-cmpBool(pa.Level == geo.LevelCountry, pb.Level == geo.LevelCountry),
			-cmpBool(primary[a], primary[b]),
			-cmpBool(pa.capital(), pb.capital()),
			-cmp.Compare(pa.weight, pb.weight),
			cmp.Compare(pa.Level, pb.Level),
			cmp.Compare(a, b))
	})
	flags := gr.flags()
	n := geo.Name{Places: ids, Upper: strings.Contains(flags, "u"), Demonym: strings.Contains(flags, "d")}
	if n.Demonym {
		// A nationality word denotes its country only, not the village of
		// that name (German, Isle of Man).
		ids = slices.DeleteFunc(ids, func(id int64) bool { return !pressed[id] })
		n.Places = ids
	}
	best := -1
	for i, sp := range gr.spellings {
		if len(ids) > 0 && sp.place != ids[0] {
			continue
		}
		if best < 0 || sp.src < gr.spellings[best].src ||
			sp.src == gr.spellings[best].src && sp.text < gr.spellings[best].text {
			best = i
		}
	}
	n.Text = gr.spellings[best].text
	return n, nil
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func (s *source) describe(id int64) string {
	p := s.places[id]
	return fmt.Sprintf("%s (%d, %s %s %s)", p.Name, p.ID, p.Level, p.Country, p.Admin1)
}

func setOfFolded(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[geo.FoldName(s)] = true
	}
	return m
}

func edgeConnector(key string) bool {
	first, _, _ := strings.Cut(key, " ")
	last := key[strings.LastIndexByte(key, ' ')+1:]
	return isConnector(first) || isConnector(last)
}

func isConnector(w string) bool { return w == "i" || w == "e" || w == "ye" }
