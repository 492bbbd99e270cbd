package rules

import (
	"cmp"
	"slices"

	"github.com/wirewatch/wirewatch/geo"
)

// evaluate decides every rule from the keyword hits and the tags.
func (m *Matcher) evaluate(sc *scratch, res *Result) []RuleMatch {
	for hi, h := range sc.hits {
		for _, s := range m.patterns[h.pattern] {
			if sc.first[s] == 0 {
				sc.first[s] = int32(hi + 1)
				sc.touched = append(sc.touched, s)
				sc.ruleHit[m.slots[s].rule] = true
			}
		}
	}
	var out []RuleMatch
	for ri := range m.rules {
		if !sc.ruleHit[ri] {
			continue
		}
		sc.ruleHit[ri] = false
		r := &m.rules[ri]
		if !r.keywordsMatch(sc.first) {
			continue
		}
		rm, ok := m.where(sc, r, res)
		if !ok {
			continue
		}
		rm.Rule = r.name
		rm.Keywords = m.keywordsFound(sc, r)
		out = append(out, rm)
	}
	for _, s := range sc.touched {
		sc.first[s] = 0
	}
	sc.touched = sc.touched[:0]
	return out
}

// keywordsMatch applies any, all and none to the slots found.
func (r *crule) keywordsMatch(first []int32) bool {
	for _, s := range r.none {
		if first[s] != 0 {
			return false
		}
	}
	for _, s := range r.all {
		if first[s] == 0 {
			return false
		}
	}
	if len(r.any) == 0 {
		return true
	}
	for _, s := range r.any {
		if first[s] != 0 {
			return true
		}
	}
	return false
}

// keywordsFound lists the rule's any and all keywords found, each once,
// by first occurrence.
func (m *Matcher) keywordsFound(sc *scratch, r *crule) []KeywordHit {
	var out []KeywordHit
	for _, list := range [][]int32{r.any, r.all} {
	next:
		for _, s := range list {
			if sc.first[s] == 0 {
				continue
			}
			h := sc.hits[sc.first[s]-1]
			kh := KeywordHit{Keyword: m.slots[s].text, Start: int(h.start), End: int(h.end)}
			for _, o := range out {
				if o.Keyword == kh.Keyword {
					continue next
				}
			}
			i := len(out)
			out = append(out, kh)
			for ; i > 0 && out[i-1].Start > kh.Start; i-- {
				out[i] = out[i-1]
			}
			out[i] = kh
		}
	}
	return out
}

// where checks the rule's regions against the tags and fills the places,
// regions and story group of its match; ok is false when the rule has
// regions and no tag lies inside them (no main place, for a rule with
// regions_mode: about).
func (m *Matcher) where(sc *scratch, r *crule, res *Result) (rm RuleMatch, ok bool) {
	tags := res.Tags
	sc.in = sc.in[:0]
	if len(r.regions) == 0 {
		for i := range tags {
			sc.in = append(sc.in, i)
		}
	} else {
		for ti, t := range tags {
			inside := false
			for _, reg := range r.regions {
				if m.within(t.Place, reg) && (!r.about || m.central(res, ti, reg)) {
					inside = true
					break
				}
			}
			if inside {
				sc.in = append(sc.in, ti)
			}
		}
		if len(sc.in) == 0 {
			return rm, false
		}
		for _, reg := range r.regions {
			for _, ti := range sc.in {
				if m.within(tags[ti].Place, reg) {
					rm.Regions = append(rm.Regions, RegionHit{Region: reg.name, Tag: tags[ti]})
					break
				}
			}
		}
	}
	if len(sc.in) > 0 {
		rm.Places = make([]geo.Tag, len(sc.in))
		for i, ti := range sc.in {
			rm.Places[i] = tags[ti]
		}
		// Heaviest first, so evidence and /why lead with what the
		// document is about; a tie keeps the order of mention.
		slices.SortStableFunc(rm.Places, func(a, b geo.Tag) int { return cmp.Compare(b.Weight.Place, a.Weight.Place) })
	}
	rm.GroupKey, rm.GroupName = m.group(r, tags, sc.counts, sc.in)
	return rm, true
}

func (m *Matcher) within(p geo.Place, reg cregion) bool {
	for _, rp := range reg.places {
		if m.gaz.Within(p, rp) {
			return true
		}
	}
	return false
}

// central reports whether tag ti makes region reg one of the document's
// main places: the weight, at the level of the region's place that holds
// it, of the tag's place (a city region), admin1 region or country is at
// least geo.About.
func (m *Matcher) central(res *Result, ti int, reg cregion) bool {
	p := res.Tags[ti].Place
	for _, rp := range reg.places {
		if !m.gaz.Within(p, rp) {
			continue
		}
		w := res.Tags[ti].Weight.Place
		switch rp.Level {
		case geo.LevelCountry:
			w = res.Tags[ti].Weight.Country
		case geo.LevelAdmin1:
			w = res.Tags[ti].Weight.Admin1
		}
		if w >= geo.About {
			return true
		}
	}
	return false
}
