package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/geo"
)

// A round-up that names every province once is not about Badghis; a report
// filed from Qala-i-Naw is. With regions_mode: mentions (the default) both
// match.
func TestRegionsModeAbout(t *testing.T) {
	const rule = `
rules:
  - name: assault
    keywords: {any: [assault]}
    regions: [badghis]
    regions_mode: %s
`
	var roundup strings.Builder
	roundup.WriteString("Afghanistan: a day of fighting across Kandahar\n")
	roundup.WriteString("KANDAHAR, July 8 - The Taliban pressed their assault on Kandahar on Thursday. ")
	roundup.WriteString("Fighting in Kandahar city went on through the night. ")
	for _, p := range []string{"Herat", "Farah", "Ghor", "Badghis", "Faryab", "Helmand", "Kunduz"} {
		roundup.WriteString("In " + p + " province officials reported clashes. ")
	}
	report := "Taliban assault on Qala-i-Naw\nHERAT (Afghanistan), July 8 - The Taliban assault on Qala-i-Naw, capital of Badghis, went on. Badghis officials said the city held. Kabul sent commandos."
	for _, tc := range []struct {
		mode           string
		roundup, about bool
	}{
		{"mentions", true, true},
		{"about", false, true},
	} {
		m := compileDefault(t, fmt.Sprintf(rule, tc.mode))
		if got := len(m.Match(roundup.String()).Matches) == 1; got != tc.roundup {
			t.Errorf("%s: round-up matched %v, want %v", tc.mode, got, tc.roundup)
		}
		if got := len(m.Match(report).Matches) == 1; got != tc.about {
			t.Errorf("%s: report matched %v, want %v", tc.mode, got, tc.about)
		}
	}
}

// The seeds are about Badghis: each names it (or its capital) as one of
// its main places.
func TestSeedsAboutBadghis(t *testing.T) {
	m := defaultMatcher(t)
	for name, text := range sampleTexts(t) {
		res := m.Match(text)
		best := 0.0
		for i, tg := range res.Tags {
			if tg.Place.Admin1 == badghis {
				best = max(best, float64(res.Tags[i].Weight.Admin1))
			}
		}
		if best < 0.5 {
			t.Errorf("%s: Badghis weighs %.2f", name, best)
		}
	}
}

// compileDefault compiles src with the built-in gazetteer.
func compileDefault(t testing.TB, src string) *Matcher {
	t.Helper()
	gaz := geo.Default()
	cfg, err := Loader{Gazetteer: gaz}.Parse("test.yml", []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	m, err := Compile(cfg, gaz)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return m
}
