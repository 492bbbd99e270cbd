package rules

import (
	"strconv"

	"github.com/wirewatch/wirewatch/geo"
)

// group picks the story key of a match: the key (admin1, country or
// place, per the rule) that the places in[] name most often, the first
// named on a tie.
func (m *Matcher) group(r *crule, tags []geo.Tag, counts []int, in []int) (key, name string) {
	if r.groupBy == GroupByRule {
		return "all", r.name
	}
	if len(in) == 0 {
		return "none", ""
	}
	if r.groupBy == GroupByAdmin1 {
		in = provincesOverCountries(tags, in)
	}
	bestCount := 0
	for i, ti := range in {
		k := m.keyOf(r.groupBy, tags[ti].Place)
		n := 0
		for _, tj := range in[i:] {
			if m.keyOf(r.groupBy, tags[tj].Place) == k {
				n += counts[tj]
			}
		}
		if n > bestCount {
			bestCount, key = n, k
			name = m.keyName(r.groupBy, tags[ti].Place)
		}
	}
	return key, name
}

// provincesOverCountries drops the country-level mentions of a country
// whose provinces (or places inside them) the match also names, so that
// "Afghanistan ... Badghis" keys by Badghis rather than letting the country
// outvote its own province.
func provincesOverCountries(tags []geo.Tag, in []int) []int {
	drop := func(ti int) bool {
		p := tags[ti].Place
		if p.Admin1 != "" {
			return false
		}
		for _, tj := range in {
			if q := tags[tj].Place; q.Admin1 != "" && q.Country == p.Country {
				return true
			}
		}
		return false
	}
	for i, ti := range in {
		if drop(ti) {
			out := append(make([]int, 0, len(in)), in[:i]...)
			for _, tj := range in[i+1:] {
				if !drop(tj) {
					out = append(out, tj)
				}
			}
			return out
		}
	}
	return in
}

// keyOf is the group key of place p under groupBy.
func (m *Matcher) keyOf(groupBy string, p geo.Place) string {
	switch groupBy {
	case GroupByPlace:
		return strconv.FormatInt(p.ID, 10)
	case GroupByCountry:
		return p.Country
	}
	if p.Admin1 == "" {
		return p.Country
	}
	return p.Admin1
}

// keyName is the display name of keyOf(groupBy, p).
func (m *Matcher) keyName(groupBy string, p geo.Place) string {
	switch groupBy {
	case GroupByPlace:
		return m.PlaceLabel(p)
	case GroupByCountry:
		return m.countryName(p)
	}
	if p.Admin1 == "" {
		return m.countryName(p)
	}
	return m.admin1Name(p)
}

// PlaceLabel names a place with what holds it: "Qala i Naw (Badghis,
// Afghanistan)", "Badghis, Afghanistan", "Afghanistan".
func (m *Matcher) PlaceLabel(p geo.Place) string {
	switch {
	case p.Level == geo.LevelCountry:
		return p.Name
	case p.Level == geo.LevelAdmin1 || p.Admin1 == "":
		return p.Name + ", " + m.countryName(p)
	}
	return p.Name + " (" + m.admin1Name(p) + ")"
}

// admin1Name is "Badghis, Afghanistan" for any place inside Badghis.
func (m *Matcher) admin1Name(p geo.Place) string {
	if a, ok := m.gaz.Admin1Of(p); ok {
		return a.Name + ", " + m.countryName(p)
	}
	return p.Admin1
}

func (m *Matcher) countryName(p geo.Place) string {
	if c, ok := m.gaz.CountryOf(p); ok {
		return c.Name
	}
	return p.Country
}
