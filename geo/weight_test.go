package geo

import (
	"testing"
)

// TestReutersAbout measures the weights on Reuters-21578 PLACES, which
// label the countries a story is about. Before: every tagged country, and
// the first-mentioned one as the story's top place. After: the countries
// whose weight is at least About, and the heaviest as the top place.
// docs/benchmarks/gazetteer.md records the figures.
func TestReutersAbout(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluation over 21,578 stories")
	}
	m := defaultMatcher()
	g := m.g
	var all, main score
	top1Before, top1After, n := 0, 0, 0
	for _, s := range reuters(t) {
		if len(s.Places) == 0 || s.Body == "" {
			continue
		}
		want := map[string]bool{}
		for _, l := range s.Places {
			if c := labelCountry(g, l); c != "" {
				want[c] = true
			}
		}
		text := storyText(s)
		tags := g.Resolve(text, m.mentions(text))
		if len(tags) == 0 {
			all.add(nil, want)
			main.add(nil, want)
			continue
		}
		n++
		var countries []Place
		var weights []float64
		g.Weigh(text, tags, tags)
		for i, tg := range tags {
			c, ok := g.CountryOf(tg.Place)
			if !ok {
				continue
			}
			seen := false
			for _, o := range countries {
				seen = seen || o.ID == c.ID
			}
			if !seen {
				countries = append(countries, c)
				weights = append(weights, float64(tags[i].Weight.Country))
			}
		}
		gotAll, gotMain := map[string]bool{}, map[string]bool{}
		best := -1
		for i, c := range countries {
			gotAll[c.Country] = true
			if weights[i] >= About {
				gotMain[c.Country] = true
			}
			if best < 0 || weights[i] > weights[best] {
				best = i
			}
		}
		if len(countries) > 0 {
			if want[countries[0].Country] {
				top1Before++
			}
			if want[countries[best].Country] {
				top1After++
			}
		}
		all.add(gotAll, want)
		main.add(gotMain, want)
	}
	f1 := func(s score) float64 { return 2 * s.precision() * s.recall() / (s.precision() + s.recall()) }
	p1b, p1a := float64(top1Before)/float64(n), float64(top1After)/float64(n)
	t.Logf("%d stories with a tagged country", n)
	t.Logf("top place: first mentioned %.3f, heaviest %.3f (precision against the labels)", p1b, p1a)
	t.Logf("every country tagged: precision %.3f recall %.3f F1 %.3f", all.precision(), all.recall(), f1(all))
	t.Logf("main countries (weight >= %.1f): precision %.3f recall %.3f F1 %.3f", About, main.precision(), main.recall(), f1(main))
	if p1a <= p1b {
		t.Errorf("the heaviest place (%.3f) is no better than the first mentioned (%.3f)", p1a, p1b)
	}
	if f1(main) < 0.83 {
		t.Errorf("F1 of the main countries %.3f, below 0.83", f1(main))
	}
}
