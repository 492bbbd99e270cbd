package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/dataset"
)

// Regenerating from the shared data must give the embedded file byte for
// byte.
func TestRegenerateMatchesEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the gazetteer")
	}
	cfg := config{press: "press.tsv", scripts: "scripts.tsv", common: "common.txt", out: filepath.Join(t.TempDir(), "g.tsv.gz")}
	for _, d := range []struct {
		dst  *string
		name string
	}{{&cfg.geonames, "geonames"}, {&cfg.reuters, "reuters21578"}, {&cfg.bbc, "bbc-news"}} {
		dir, ok := dataset.Dir(d.name)
		if !ok {
			t.Skipf("data set %s not found (set WIREWATCH_DATA)", d.name)
		}
		*d.dst = dir
	}
	if err := run(cfg); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(cfg.out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "data", "gazetteer.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("regenerated data (%d bytes) differs from geo/data/gazetteer.tsv.gz (%d bytes): run go run ./geo/gen",
			len(got), len(want))
	}
}

func TestKeepAlternate(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"Qala Naw", true},
		{"Qal‘ah-ye Now", true},
		{"Mazār-e Sharīf", true},
		{"قلعۀ نو", true},
		{"جلال\u200cآباد", true}, // with a zero-width non-joiner
		{"KBL", false},           // airport code
		{"LQN", false},
		{"NATO", true},
		{"Ur", false},
		{"Ba", false},
		{"6th of October", false},
		{"http://en.wikipedia.org/wiki/Kabul", false},
		{"www.kabul.gov.af", false},
		{"ka bu er", false}, // a romanization in lower case
		{"Кабул", true},
		{"кабул", false},
		{"Kabul Кабул", false},
		{"Αθήνα", false},
		{"Kabul (city)", false},
		{"Kabul قلعه", false},
		{"", false},
	} {
		if got := keepAlternate(tc.name); got != tc.want {
			t.Errorf("keepAlternate(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPressLine(t *testing.T) {
	s := &source{places: map[int64]*place{}, codes: map[string]int64{}}
	for _, p := range []geo.Place{
		{ID: 1, Name: "Afghanistan", Level: geo.LevelCountry, Country: "AF"},
		{ID: 2, Name: "Badghis", Level: geo.LevelAdmin1, Country: "AF", Admin1: "AF.02"},
		{ID: 3, Name: "Qala i Naw", Level: geo.LevelCity, Country: "AF", Admin1: "AF.02"},
	} {
		code := p.Admin1
		if p.Level == geo.LevelCountry {
			code = p.Country
		}
		if p.Level == geo.LevelCity {
			code = ""
		}
		if err := s.add(&place{Place: p}, code); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		line string
		ok   bool
	}{
		{"# a comment", true},
		{"", true},
		{"AF.02\tBadghis; Badghes", true},
		{"3\t=Qala-i-Naw; Qala Nau", true},
		{"AF\tAfghan\tdemonym", true},
		{"-\tLatin America", true},
		{"AF.99\tNowhere", false},
		{"42\tNowhere", false},
		{"AF\tAfghan\tshouting", false},
		{"AF\tA, B", false},
		{"-\t=Display", false},
		{"AF", false},
	} {
		if err := s.pressLine(tc.line); (err == nil) != tc.ok {
			t.Errorf("pressLine(%q) error %v, want ok=%v", tc.line, err, tc.ok)
		}
	}
	if s.places[3].Name != "Qala-i-Naw" {
		t.Errorf("display name not set: %q", s.places[3].Name)
	}
}

func TestEdgeConnector(t *testing.T) {
	for key, want := range map[string]bool{
		"qala naw": false, "chang i": true, "ye": true, "e kamari": true, "kabul": false,
	} {
		if got := edgeConnector(key); got != want {
			t.Errorf("edgeConnector(%q) = %v, want %v", key, got, want)
		}
	}
}

// The corpus rules on hand-made counts.
func TestCommonRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		u    usage
		w    int64
		want string
	}{
		{"ordinary word", usage{lower: 480, capMid: 59}, 190000, "lower"},
		{"rare lower case", usage{lower: 2, capMid: 1}, 0, ""},
		{"proper noun", usage{lower: 8, capMid: 900}, 0, ""},
		{"surname", usage{capMid: 83, titled: 13}, 170000, "surname"},
		{"first name", usage{capMid: 334, beforeCap: 249, afterCap: 91}, 1000, "person"},
		{"big city in company names", usage{capMid: 265, afterCap: 150}, 650000, ""},
	} {
		got := ""
		switch {
		case commonWord(tc.u):
			got = "lower"
		case surnameLike(tc.u):
			got = "surname"
		case personLike(tc.u, tc.w):
			got = "person"
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
