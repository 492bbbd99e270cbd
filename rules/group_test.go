package rules

import (
	"testing"

	"github.com/wirewatch/wirewatch/geo"
)

func TestAdmin1GroupingPrefersProvincesToTheirCountry(t *testing.T) {
	cfg, err := Parse("rules.yaml", []byte(`
channels:
  ops: { console: true }
rules:
  - name: news
    keywords: { any: [fighting] }
    channels: [ops]
  - name: by-country
    keywords: { any: [fighting] }
    channels: [ops]
    group_by: country
`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(cfg, geo.Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, news, country string }{
		{"Afghanistan said fighting in Afghanistan went on. Afghanistan's army held Qala-i-Naw in Badghis.", "AF.02", "AF"},
		{"Afghanistan said fighting in Afghanistan went on.", "AF", "AF"},
		// Another country's mention still competes with a province elsewhere.
		{"Fighting in Pakistan, Pakistan and Pakistan; quiet in Badghis.", "PK", "PK"},
	} {
		keys := map[string]string{}
		for _, rm := range m.Match(tc.text).Matches {
			keys[rm.Rule] = rm.GroupKey
		}
		if keys["news"] != tc.news || keys["by-country"] != tc.country {
			t.Errorf("%q: keys %v, want news %s, by-country %s", tc.text, keys, tc.news, tc.country)
		}
	}
}
