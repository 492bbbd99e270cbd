package rules

import (
	"cmp"
	"slices"
	"strings"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
)

// maxEvidencePlaces caps the places an Evidence string lists.
const maxEvidencePlaces = 3

// Analysis turns a Result into what the store keeps of a document: every
// place it names, rolled up to its admin1 region and country, and every
// rule it matches with a readable account of why.
func (m *Matcher) Analysis(r Result) corpus.Analysis {
	var a corpus.Analysis
	for _, t := range r.Tags {
		d := m.docRegion(t)
		d.Weight, d.Admin1Weight, d.CountryWeight = float64(t.Weight.Place), float64(t.Weight.Admin1), float64(t.Weight.Country)
		a.Regions = append(a.Regions, d)
	}
	// Heaviest first; on a tie, the first named.
	slices.SortStableFunc(a.Regions, func(x, y corpus.DocRegion) int { return cmp.Compare(y.Weight, x.Weight) })
	for _, rm := range r.Matches {
		a.Matches = append(a.Matches, m.docMatch(rm))
	}
	return a
}

func (m *Matcher) docRegion(t geo.Tag) corpus.DocRegion {
	p := t.Place
	d := corpus.DocRegion{
		PlaceID: p.ID, Name: p.Name, Level: p.Level.String(), Admin1: p.Admin1,
		Country: p.Country, Text: t.Text, Offset: t.Start,
	}
	if a, ok := m.gaz.Admin1Of(p); ok {
		d.Admin1Name = a.Name
	}
	if c, ok := m.gaz.CountryOf(p); ok {
		d.CountryName = c.Name
	}
	return d
}

func (m *Matcher) docMatch(rm RuleMatch) corpus.DocMatch {
	d := corpus.DocMatch{Rule: rm.Rule, GroupKey: rm.GroupKey, GroupName: rm.GroupName, Keywords: []string{}, Regions: []string{}}
	for _, k := range rm.Keywords {
		d.Keywords = append(d.Keywords, k.Keyword)
	}
	for _, rh := range rm.Regions {
		d.Regions = append(d.Regions, rh.Region+" ("+rh.Tag.Text+")")
	}
	d.Evidence = m.Evidence(rm)
	return d
}

// Evidence explains a match in one line: "keywords: assault, taliban;
// place: Qala-i-Naw (Badghis, Afghanistan)". Places are quoted as the text wrote
// them, at most three.
func (m *Matcher) Evidence(rm RuleMatch) string {
	var b strings.Builder
	b.WriteString("keywords: ")
	for i, k := range rm.Keywords {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k.Keyword)
	}
	if len(rm.Places) == 0 {
		return b.String()
	}
	if len(rm.Places) == 1 {
		b.WriteString("; place: ")
	} else {
		b.WriteString("; places: ")
	}
	for i, t := range rm.Places {
		if i == maxEvidencePlaces {
			b.WriteString(", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t.Text)
		b.WriteString(" (")
		b.WriteString(m.whereLabel(t.Place))
		b.WriteString(")")
	}
	return b.String()
}

// whereLabel places p for a reader: "Badghis, Afghanistan" for a city,
// "Afghanistan" for a province or a country.
func (m *Matcher) whereLabel(p geo.Place) string {
	if p.Admin1 == "" || p.Level == geo.LevelAdmin1 {
		return m.countryName(p)
	}
	return m.admin1Name(p)
}
