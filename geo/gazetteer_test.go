package geo

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestFoldName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Qala-i-Naw", "qala naw"},
		{"Qala-e-Naw", "qala naw"},
		{"Qala-I Naw", "qala naw"},
		{"Qala i Naw", "qala naw"},
		{"Qal‘ah-ye Now", "qalah now"},
		{"Āb-e Kamarī", "ab kamari"},
		{"Mazar-i-Sharif", "mazar sharif"},
		{"Karbalāʼ", "karbala"}, // a trailing modifier-letter apostrophe
		{"ʿAlam", "alam"},
		{"i", "i"},
		{"Kundûz", "kunduz"},
		{"U.S.", "u s"},
		{"", ""},
	} {
		if got := FoldName(tc.in); got != tc.want {
			t.Errorf("FoldName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func ids(ps []Place) []int64 {
	var out []int64
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestLookup(t *testing.T) {
	g := Default()
	for _, tc := range []struct {
		query string
		first int64
	}{
		{"badghis", 1147707},
		{"Badghes", 1147707},
		{"qala-e-naw", 1129867},
		{"QALA-I NAW", 1129867},
		{"Qal-e-Naw", 1129867},
		{"Qala Nau", 1129867},
		{"ab kamari", 7052785},
		{"Abkamari", 7052785},
		{"bala murghab", 7052794},
		{"Ghormach", 7052787},
		{"Jawand", 7052790},
		{"kondoz", 1135690},
		{"Lashkargah", 1134720},
		{"Mazar-e-Sharif", 8354719}, // the district, holding the city
		{"Tarin Kowt", 1122747},
		{"Maidan Wardak", 1121863},
		{"Sar-i-Pul", 1127106},
		{"Firozkoh", 1145904},
		{"Mahmud-i-Raqi", 7053088},
		{"Pul-i-Khumri", 1130490},
		{"afghanistan", 1149361},
		{"USA", 6252001},
		{"United States", 6252001},
		{"Britain", 2635167},
		{"Philadelphia", 4560349}, // not Amman, whose old name it is
		{"Washington", 5815135},   // the state, the largest region
	} {
		got := g.Lookup(tc.query)
		if len(got) == 0 || got[0].ID != tc.first {
			t.Errorf("Lookup(%q) = %v, want %d first", tc.query, ids(got), tc.first)
		}
	}
	if got := g.Lookup("no such place anywhere"); got != nil {
		t.Errorf("Lookup of nonsense = %v", got)
	}
	// Herat: the province, then the district and the city.
	got := g.Lookup("Herat")
	if len(got) < 2 || got[0].Level != LevelAdmin1 || !slices.Contains(ids(got), 1140026) {
		t.Errorf("Lookup(Herat) = %+v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Level < got[i-1].Level {
			t.Errorf("Lookup(Herat) not sorted by level: %+v", got)
		}
	}
}

func TestHierarchy(t *testing.T) {
	g := Default()
	city, _ := g.Place(1129867)     // Qala-i-Naw
	district, _ := g.Place(7052796) // Qala-i-Naw district
	province, _ := g.Place(1147707) // Badghis
	country, _ := g.Place(1149361)  // Afghanistan
	herat, _ := g.Place(1140025)    // Herat province
	for _, tc := range []struct {
		p, region Place
		want      bool
	}{
		{city, district, true},
		{city, province, true},
		{city, country, true},
		{district, province, true},
		{province, country, true},
		{country, country, true},
		{city, herat, false},
		{province, city, false},
		{country, province, false},
	} {
		if got := g.Within(tc.p, tc.region); got != tc.want {
			t.Errorf("Within(%s, %s) = %v, want %v", tc.p.Name, tc.region.Name, got, tc.want)
		}
	}
	if a, ok := g.Admin1Of(city); !ok || a.ID != province.ID {
		t.Errorf("Admin1Of(city) = %v, %v", a, ok)
	}
	if a, ok := g.Admin1Of(province); !ok || a.ID != province.ID {
		t.Errorf("Admin1Of(province) = %v, %v", a, ok)
	}
	if _, ok := g.Admin1Of(country); ok {
		t.Error("Admin1Of(country) found one")
	}
	if c, ok := g.CountryOf(city); !ok || c.ID != country.ID {
		t.Errorf("CountryOf(city) = %v, %v", c, ok)
	}
	if d, ok := g.Admin2Of(city); !ok || d.ID != district.ID {
		t.Errorf("Admin2Of(city) = %v, %v", d, ok)
	}
	if _, ok := g.Admin2Of(province); ok {
		t.Error("Admin2Of(province) found one")
	}
	if _, ok := g.Place(-5); ok {
		t.Error("Place(-5) found one")
	}
}

// Every Afghan province has its press name and its capital.
func TestAfghanProvinces(t *testing.T) {
	g := Default()
	n := 0
	for _, p := range g.places {
		if p.Country != "AF" || p.Level != LevelAdmin1 {
			continue
		}
		n++
		if got := g.Lookup(p.Name); len(got) == 0 || got[0].ID != p.ID {
			t.Errorf("Lookup(%q) = %v, want the province %d first", p.Name, ids(got), p.ID)
		}
	}
	if n != 34 {
		t.Errorf("%d Afghan provinces, want 34", n)
	}
}

func TestNewWithDuplicateSpellings(t *testing.T) {
	places := []Place{
		{ID: 1, Name: "A", Level: LevelCountry, Country: "AA"},
		{ID: 2, Name: "B", Level: LevelCity, Country: "AA"},
		{ID: 2, Name: "B again", Level: LevelCity, Country: "AA"},
	}
	names := []Name{
		{Text: "Alpha", Places: []int64{1}},
		{Text: "ALPHA", Places: []int64{2, 99}},
		{Text: "alpha", Places: []int64{1}},
	}
	g := New(places, names)
	if g.Len() != 2 {
		t.Errorf("Len = %d, want 2", g.Len())
	}
	if p, _ := g.Place(2); p.Name != "B" {
		t.Errorf("Place(2) = %q, want the first", p.Name)
	}
	if got := ids(g.Lookup("alpha")); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("Lookup(alpha) = %v", got)
	}
	if g.Folded(1) != "alpha" || len(g.Names()) != 3 {
		t.Errorf("names not kept as given")
	}
}

func TestWithAliases(t *testing.T) {
	base := Default()
	g, err := base.WithAliases(map[string]string{
		"Qal-e-Nau Town": "Qala-i-Naw",
		"Lashkar":        "Lashkar Gah",
		"Mobile":         "Mobile, Alabama",
		"Victoria":       "Victoria, Canada",
	})
	if err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string]int64{
		"qal e nau town": 1129867,
		"Lashkar":        1134720,
		"mobile":         4076598,
	} {
		if got := g.Lookup(query); len(got) == 0 || got[0].ID != want {
			t.Errorf("after aliases, Lookup(%q) = %v, want %d first", query, ids(got), want)
		}
	}
	if got := g.Lookup("victoria"); len(got) == 0 || got[0].Country != "CA" {
		t.Errorf("Lookup(victoria) = %+v, want the Canadian one", got)
	}
	if got := base.Lookup("Lashkar"); len(got) > 0 && got[0].ID == 1134720 {
		t.Error("WithAliases changed the base gazetteer")
	}
	// The alias is a name the matcher finds, and it resolves.
	tags := newMatcher(g).tags("Clashes near Lashkar and in Mobile today.")
	if got := describe(tags); !slices.Equal(got, []string{"Lashkar=AF/AF.10", "Mobile=US/US.AL"}) {
		t.Errorf("tags = %q", got)
	}

	_, err = base.WithAliases(map[string]string{"bost": "Lashkargahx", "zz": "Nowhere, Mars", "...": "Kabul"})
	var ae *AliasError
	if !errors.Is(err, ErrUnknownPlace) || !errors.As(err, &ae) {
		t.Fatalf("err = %v, want AliasError wrapping ErrUnknownPlace", err)
	}
	for _, want := range []string{`"bost"`, `"Lashkargahx"`, `"zz"`, `"..."`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if g2, err := base.WithAliases(nil); err != nil || g2 != base {
		t.Errorf("WithAliases(nil) = %p, %v; want the same gazetteer", g2, err)
	}
}
