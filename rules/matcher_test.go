package rules

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// compileYAML loads a rules file from src against the test gazetteer and
// compiles it.
func compileYAML(t testing.TB, src string) *Matcher {
	t.Helper()
	gaz := testGazetteer()
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

// matched lists the rules a text matches, each with the keywords found:
// "rule: kw1, kw2".
func matched(res Result) []string {
	out := []string{}
	for _, rm := range res.Matches {
		var kws []string
		for _, k := range rm.Keywords {
			kws = append(kws, k.Keyword)
		}
		out = append(out, rm.Rule+": "+strings.Join(kws, ", "))
	}
	return out
}

const keywordRules = `
rules:
  - name: any
    keywords: {any: [assault, offensive]}
  - name: all
    keywords: {all: [taliban, assault]}
  - name: none
    keywords: {any: [assault], none: [drill, "training exercise"]}
  - name: phrase
    keywords: {any: ["all-out assault"]}
  - name: diacritics
    keywords: {any: [Kābul, Zürich]}
  - name: connector
    keywords: {any: ["type i diabetes"]}
  - name: numbers
    keywords: [737, "covid-19"]
`

// TestKeywords covers any, all, none, phrases, whole words, case and
// diacritics.
func TestKeywords(t *testing.T) {
	m := compileYAML(t, keywordRules)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"The assault began.", []string{"any: assault", "none: assault"}},
		{"An OFFENSIVE and an Assault.", []string{"any: offensive, assault", "none: assault"}},
		{"Taliban launch assault", []string{"any: assault", "all: taliban, assault", "none: assault"}},
		{"Taliban fighters advance", []string{}},
		{"the Taliban's assault", []string{"any: assault", "all: taliban, assault", "none: assault"}},
		{"an assault drill", []string{"any: assault"}},
		{"an assault, then a training exercise", []string{"any: assault"}},
		{"an assault, then training, then an exercise", []string{"any: assault", "none: assault"}},
		{"They assaulted the city; assaults went on.", []string{}},
		{"an all-out assault", []string{"any: assault", "none: assault", "phrase: all-out assault"}},
		{"an All Out Assault", []string{"any: assault", "none: assault", "phrase: all-out assault"}},
		{"an all-out military assault", []string{"any: assault", "none: assault"}},
		{"Kabul and Zurich", []string{"diacritics: Kābul, Zürich"}},
		{"KĀBUL", []string{"diacritics: Kābul"}},
		{"Kabulis", []string{}},
		{"Type I diabetes", []string{"connector: type i diabetes"}},
		{"type diabetes", []string{}},
		{"A Boeing 737 and COVID-19", []string{"numbers: 737, covid-19"}},
		{"", []string{}},
	} {
		if got := matched(m.Match(tc.text)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Match(%q) = %q; want %q", tc.text, got, tc.want)
		}
	}
}

// TestKeywordOffsets checks that a hit points at the words as written.
func TestKeywordOffsets(t *testing.T) {
	m := compileYAML(t, keywordRules)
	text := "Reports of an All-Out  Assault."
	res := m.Match(text)
	for _, rm := range res.Matches {
		if rm.Rule != "phrase" {
			continue
		}
		k := rm.Keywords[0]
		if got := text[k.Start:k.End]; got != "All-Out  Assault" {
			t.Errorf("phrase hit = %q; want %q", got, "All-Out  Assault")
		}
		return
	}
	t.Fatalf("phrase did not match: %v", matched(res))
}

// TestPlaceSpellings checks that spellings of one place, with or without
// connectors, in any case or with diacritics, all find that place.
func TestPlaceSpellings(t *testing.T) {
	m := compileYAML(t, "aliases: {Kala-i-Nau: Qala i Naw}\n")
	for _, tc := range []struct {
		text string
		id   int64
	}{
		{"fighting in Qala-i-Naw on Thursday", idQalaINaw},
		{"fighting in Qala-e-Naw on Thursday", idQalaINaw},
		{"fighting in Qala-I Naw on Thursday", idQalaINaw},
		{"fighting in Qala Naw on Thursday", idQalaINaw},
		{"fighting in Qala i Naw on Thursday", idQalaINaw},
		{"fighting in Qala-ye-Naw on Thursday", idQalaINaw},
		{"fighting in QALA-I-NAW on Thursday", idQalaINaw},
		{"fighting in Qal‘ah-ye Now on Thursday", idQalaINaw},
		{"fighting in Qal'ah-ye Now on Thursday", idQalaINaw},
		{"fighting in Kala-i-Nau on Thursday", idQalaINaw},
		{"talks in Kābul", idKabul},
		{"talks in KABUL", idKabul},
		{"a flight to New York today", idNewYork},
		{"a flight to York today", idYork},
	} {
		res := m.Match(tc.text)
		if len(res.Tags) != 1 || res.Tags[0].Place.ID != tc.id {
			t.Errorf("Match(%q).Tags = %+v; want place %d", tc.text, res.Tags, tc.id)
			continue
		}
		tag := res.Tags[0]
		if tag.Text != tc.text[tag.Start:tag.End] || strings.HasSuffix(tag.Text, " ") || strings.HasPrefix(tc.text[tag.End:], "Naw") {
			t.Errorf("Match(%q): tag text %q at %d:%d", tc.text, tag.Text, tag.Start, tag.End)
		}
	}
}

// TestPlacesNeedCapitals checks that a name in lower case is a word.
func TestPlacesNeedCapitals(t *testing.T) {
	m := compileYAML(t, "")
	if tags := m.Match("the herat of the matter, kabul").Tags; len(tags) != 0 {
		t.Errorf("lower-case names tagged: %+v", tags)
	}
}

// TestTags checks that each place is tagged once, at its first mention.
func TestTags(t *testing.T) {
	m := compileYAML(t, "")
	text := "Herat, then Badghis. Back in Herat; HERAT again. Badghis."
	res := m.Match(text)
	var got []string
	for _, tag := range res.Tags {
		got = append(got, fmt.Sprintf("%d %s@%d", tag.Place.ID, tag.Text, tag.Start))
	}
	want := []string{fmt.Sprintf("%d Herat@0", idHeratCity), fmt.Sprintf("%d Badghis@12", idBadghis)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tags = %q; want %q", got, want)
	}
}

const regionRules = `
regions:
  western-afghanistan: [herat, badghis, farah, ghor]
  west-and-capital: [western-afghanistan, kabul]
aliases:
  Kala-i-Nau: Qala i Naw
rules:
  - name: west
    keywords: [assault]
    regions: [western-afghanistan]
  - name: badghis
    keywords: [assault]
    regions: [Badghis]
  - name: nested
    keywords: [assault]
    regions: [west-and-capital]
  - name: country
    keywords: [assault]
    regions: [afghanistan]
    group_by: country
  - name: alias
    keywords: [assault]
    regions: [kala-i-nau]
    group_by: place
  - name: anywhere
    keywords: [assault]
    group_by: rule
`

// TestRegions checks region conditions: a city rolls up to its province
// and country, user regions expand to their members (and to other user
// regions), aliases denote their place.
func TestRegions(t *testing.T) {
	m := compileYAML(t, regionRules)
	for _, tc := range []struct {
		text string
		want []string // rule group-key
	}{
		{"An assault on Qala-e-Naw.", []string{"west AF.02", "badghis AF.02", "nested AF.02", "country AF", "alias 1129867", "anywhere all"}},
		{"An assault on Herat.", []string{"west AF.11", "nested AF.11", "country AF", "anywhere all"}},
		{"An assault in Kabul.", []string{"nested AF.13", "country AF", "anywhere all"}},
		{"An assault in Afghanistan.", []string{"country AF", "anywhere all"}},
		{"An assault in Iran.", []string{"anywhere all"}},
		{"An assault.", []string{"anywhere all"}},
		{"No such thing in Qala-i-Naw.", nil},
	} {
		var got []string
		for _, rm := range m.Match(tc.text).Matches {
			got = append(got, rm.Rule+" "+rm.GroupKey)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Match(%q) = %q; want %q", tc.text, got, tc.want)
		}
	}
}

// TestRegionHits checks the places and regions a match reports.
func TestRegionHits(t *testing.T) {
	m := compileYAML(t, regionRules)
	text := "HERAT, July 7 - An assault on Qala-i-Naw, the capital of Badghis. Qala-i-Naw fell."
	res := m.Match(text)
	rm := res.Matches[0]
	if rm.Rule != "west" {
		t.Fatalf("first match %q", rm.Rule)
	}
	var places []string
	for _, p := range rm.Places {
		places = append(places, p.Text)
	}
	if want := []string{"HERAT", "Qala-i-Naw", "Badghis"}; !reflect.DeepEqual(places, want) {
		t.Errorf("Places = %q; want %q", places, want)
	}
	if len(rm.Regions) != 1 || rm.Regions[0].Region != "western-afghanistan" || rm.Regions[0].Tag.Text != "HERAT" {
		t.Errorf("Regions = %+v", rm.Regions)
	}
	// Badghis is named three times, Herat once: the story is Badghis's.
	if rm.GroupKey != "AF.02" || rm.GroupName != "Badghis, Afghanistan" {
		t.Errorf("group %q %q; want AF.02, Badghis, Afghanistan", rm.GroupKey, rm.GroupName)
	}
}

// TestGroupBy checks every grouping's key and display name.
func TestGroupBy(t *testing.T) {
	src := `
rules:
  - {name: admin1, keywords: [assault], group_by: admin1}
  - {name: country, keywords: [assault], group_by: country}
  - {name: place, keywords: [assault], group_by: place}
  - {name: rule, keywords: [assault], group_by: rule}
  - {name: default, keywords: [assault]}
`
	m := compileYAML(t, src)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"An assault on Qala-i-Naw.", []string{
			"admin1 AF.02 Badghis, Afghanistan", "country AF Afghanistan", "place 1129867 Qala i Naw (Badghis, Afghanistan)",
			"rule all rule", "default AF.02 Badghis, Afghanistan",
		}},
		{"An assault in Afghanistan.", []string{
			"admin1 AF Afghanistan", "country AF Afghanistan", "place 1149361 Afghanistan",
			"rule all rule", "default AF Afghanistan",
		}},
		{"An assault.", []string{"admin1 none ", "country none ", "place none ", "rule all rule", "default none "}},
	} {
		var got []string
		for _, rm := range m.Match(tc.text).Matches {
			got = append(got, rm.Rule+" "+rm.GroupKey+" "+rm.GroupName)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Match(%q) =\n%q\nwant\n%q", tc.text, got, tc.want)
		}
	}
}

// TestResolverPlace checks how region names pick a place.
func TestResolverPlace(t *testing.T) {
	cfg := &Config{Aliases: map[string]string{"Kala-i-Nau": "Qala i Naw"}}
	gaz, _ := withAliases(cfg, testGazetteer())
	r := newResolver(cfg, gaz, nil)
	for _, tc := range []struct {
		name string
		id   int64
	}{
		{"Georgia", idGE},
		{"Georgia, United States", idGeorgiaUS},
		{"herat", idHerat},
		{"HERAT", idHerat},
		{"Kala-i-Nau", idQalaINaw},
		{"Qala-e-Naw", idQalaINaw},
		{"Kabul, Iran", 0},
		{"Atlantis", 0},
	} {
		p, ok := r.place(tc.name)
		if ok != (tc.id != 0) || p.ID != tc.id {
			t.Errorf("place(%q) = %d, %v; want %d", tc.name, p.ID, ok, tc.id)
		}
	}
}

// TestAnalysis checks the store records and the evidence line.
func TestAnalysis(t *testing.T) {
	m := compileYAML(t, `
regions:
  western-afghanistan: [herat, badghis]
rules:
  - name: provincial-capital-assault
    keywords: {any: [assault], all: [taliban]}
    regions: [western-afghanistan]
`)
	res := m.Match("The Taliban assault on Qala-i-Naw, in Afghanistan.")
	a := m.Analysis(res)
	if len(a.Regions) != 2 {
		t.Fatalf("Regions = %+v", a.Regions)
	}
	// Each place is the heaviest of its level; on a tie the first named
	// comes first.
	r := a.Regions[0]
	if r.PlaceID != idQalaINaw || r.Level != "city" || r.Admin1 != "AF.02" || r.Admin1Name != "Badghis" ||
		r.Country != "AF" || r.CountryName != "Afghanistan" || r.Text != "Qala-i-Naw" || r.Offset != 23 ||
		r.Weight != 1 || r.Admin1Weight != 1 || r.CountryWeight != 1 {
		t.Errorf("Regions[0] = %+v", r)
	}
	if c := a.Regions[1]; c.PlaceID != idAF || c.Level != "country" || c.Admin1 != "" || c.Country != "AF" || c.Weight != 1 {
		t.Errorf("Regions[1] = %+v", c)
	}
	if len(a.Matches) != 1 {
		t.Fatalf("Matches = %+v", a.Matches)
	}
	d := a.Matches[0]
	if d.Rule != "provincial-capital-assault" || d.GroupKey != "AF.02" || d.GroupName != "Badghis, Afghanistan" ||
		!reflect.DeepEqual(d.Keywords, []string{"taliban", "assault"}) ||
		!reflect.DeepEqual(d.Regions, []string{"western-afghanistan (Qala-i-Naw)"}) {
		t.Errorf("Matches[0] = %+v", d)
	}
	if want := "keywords: taliban, assault; place: Qala-i-Naw (Badghis, Afghanistan)"; d.Evidence != want {
		t.Errorf("Evidence = %q; want %q", d.Evidence, want)
	}
}

// TestEvidenceManyPlaces caps the places an evidence line lists.
func TestEvidenceManyPlaces(t *testing.T) {
	m := compileYAML(t, "rules:\n  - {name: q, keywords: [quake]}\n")
	res := m.Match("A quake felt in Herat, Kabul, Iran, Pakistan and Tajikistan.")
	want := "keywords: quake; places: Herat (Herat, Afghanistan), Kabul (Kabul, Afghanistan), Iran (Iran), …"
	if got := m.Evidence(res.Matches[0]); got != want {
		t.Errorf("Evidence = %q; want %q", got, want)
	}
}

// TestModifierApostrophes checks texts with ʼ ʻ ʿ ʾ in and after words.
func TestModifierApostrophes(t *testing.T) {
	m := compileYAML(t, "rules:\n  - {name: q, keywords: [karbala, quake]}\n")
	for _, text := range []string{"Karbalāʼ quake", "ʼ", "aʼ", "x ʼ y", "quake ʿ", "Kabulʼʼ quake", "ʻʻ"} {
		res := m.Match(text)
		for _, tag := range res.Tags {
			if tag.Text != text[tag.Start:tag.End] {
				t.Errorf("Match(%q): tag %+v", text, tag)
			}
		}
		if strings.Contains(text, "quake") && len(res.Matches) != 1 {
			t.Errorf("Match(%q) = %v; want the quake rule", text, matched(res))
		}
	}
}

// TestCompileNilGazetteer allows rules without regions and no gazetteer.
func TestCompileNilGazetteer(t *testing.T) {
	cfg, err := Loader{}.Parse("r.yml", []byte("rules:\n  - {name: q, keywords: [quake]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := matched(m.Match("A quake in Kabul")); !reflect.DeepEqual(got, []string{"q: quake"}) {
		t.Errorf("Match = %q", got)
	}
}

// TestCompileRejectsInvalid checks that Compile validates its Config.
func TestCompileRejectsInvalid(t *testing.T) {
	cfg := &Config{Rules: []Rule{{Name: "q", Keywords: Keywords{Any: []string{"quake"}}, Regions: []string{"Atlantis"}}}}
	if _, err := Compile(cfg, testGazetteer()); err == nil {
		t.Error("Compile accepted an unknown region")
	}
}

// TestMatchConcurrent runs Match from several goroutines; with -race it
// checks that the Matcher is safe to share.
func TestMatchConcurrent(t *testing.T) {
	m := compileYAML(t, regionRules)
	texts := []string{"An assault on Qala-e-Naw.", "An assault on Herat.", "An assault in Kabul.", "Nothing."}
	want := make([]Result, len(texts))
	for i, s := range texts {
		want[i] = m.Match(s)
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for n := 0; n < 200; n++ {
				i := (g + n) % len(texts)
				if got := m.Match(texts[i]); !reflect.DeepEqual(got, want[i]) {
					done <- fmt.Errorf("Match(%q) = %+v; want %+v", texts[i], got, want[i])
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
