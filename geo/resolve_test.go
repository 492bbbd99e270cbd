package geo

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/corpus"
)

// describe renders tags as "text=country/admin1" for comparison.
func describe(tags []Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, fmt.Sprintf("%s=%s/%s", t.Text, t.Place.Country, t.Place.Admin1))
	}
	return out
}

func TestResolvePolicy(t *testing.T) {
	m := defaultMatcher()
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"lower-case word", "Sales of mobile phones rose in the quarter.", nil},
		{"common word at sentence start", "Mobile operators cut prices.", nil},
		{"common word in a headline", "MOBILE PHONE SALES SOAR", nil},
		{"common name with its state", "The port of Mobile, Alabama, reopened.",
			[]string{"Mobile=US/US.AL", "Alabama=US/US.AL"}},
		{"common name at sentence start with its state", "Mobile, Alabama, reopened its port.",
			[]string{"Mobile=US/US.AL", "Alabama=US/US.AL"}},
		{"common name with its country only", "The ship docked at Mobile on Monday, US officials said.",
			[]string{"Mobile=US/US.AL", "US=US/"}},
		{"small common place with its country", "They met at Union, officials in the US said.", []string{"US=US/"}},
		{"Of is a word", "Of the 50 soldiers, ten were Turkish.", []string{"Turkish=TR/"}},
		{"Nice the adjective", "Nice weather in France today.", []string{"France=FR/"}},
		{"Nice the city", "The festival in Nice, France, opened.", []string{"Nice=FR/FR.93", "France=FR/"}},
		{"US in capitals only", "US troops left and told us why.", []string{"US=US/"}},
		{"U.S. with dots", "The U.S. dollar fell.", []string{"U.S=US/"}},
		{"surname after a first name", "Civil rights leader Jesse Jackson spoke.", nil},
		{"surname after a title", "Mr. Houston and Sen. Lincoln voted.", nil},
		{"city named with its state", "Flooding hit Jackson in Mississippi.",
			[]string{"Jackson=US/US.MS", "Mississippi=US/US.MS"}},
		{"ambiguous name: the named country wins", "Officials in Georgia said U.S. aid would come.",
			[]string{"Georgia=US/US.GA", "U.S=US/"}},
		{"ambiguous name: country by default", "Georgia held elections.", []string{"Georgia=GE/"}},
		{"acronym in capitals", "ANA soldiers and ANP police held the line.", nil},
		{"short dateline", "ROME, March 3 - Italy said on Tuesday.", []string{"ROME=IT/IT.07", "Italy=IT/"}},
		{"month abbreviation", "Published Jul 8, 2021 in the paper.", nil},
		{"press spellings", "Fighting in Qala-e-Naw and Badghes; Kondoz was quiet.",
			[]string{"Qala-e-Naw=AF/AF.02", "Badghes=AF/AF.02", "Kondoz=AF/AF.24"}},
		{"district rolls up", "Clashes in Ab Kamari and Bala Murghab.", []string{"Ab Kamari=AF/AF.02", "Bala Murghab=AF/AF.02"}},
		{"Persian script", "قلعۀ نو", []string{"قلعۀ نو=AF/AF.02"}},
		{"demonym", "Afghan forces retook the town.", []string{"Afghan=AF/"}},
		{"blocker hides America", "Exports to Latin America rose.", nil},
		{"turkey the bird", "We ate turkey.", nil},
		{"surname after a capitalised place name", "A song by Whitney Houston played.", []string{"Whitney=US/US.NV"}},
		{"initial before a surname", "Its president, Harvey T. Lyon, resigned.", nil},
		{"hyphenated company names", "Coca-Cola and Kelsey-Hayes reported.", nil},
		{"a city backs its state", "GEORGIA RATE CUT APPROVED\nATLANTA, April 2 - Regulators agreed.",
			[]string{"GEORGIA=US/US.GA", "ATLANTA=US/US.GA"}},
		{"dateline with a state abbreviation", "PORTLAND, Ore., March 3 - Shares rose.",
			[]string{"PORTLAND=US/US.OR", "Ore=US/US.OR"}},
		{"dateline with an unknown town", "NORTHVALE, N.J., March 11 - Shares rose.", []string{"N.J=US/US.NJ"}},
		{"an abbreviation alone is a word", "Shares of Boliden Ore and Metals rose in the U.S.", []string{"U.S=US/"}},
		{"own name before an old name", "Flights to Philadelphia resumed.", []string{"Philadelphia=US/US.PA"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := describe(m.tags(tc.text))
			if !slices.Equal(got, tc.want) {
				t.Errorf("Resolve(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestResolveRollsUp(t *testing.T) {
	m := defaultMatcher()
	tags := m.tags("Gunfire was heard in Qala-i-Naw on Thursday.")
	if len(tags) != 1 {
		t.Fatalf("tags = %q", describe(tags))
	}
	p := tags[0].Place
	a1, ok1 := m.g.Admin1Of(p)
	c, ok2 := m.g.CountryOf(p)
	if !ok1 || !ok2 || a1.Name != "Badghis" || c.Name != "Afghanistan" {
		t.Errorf("Qala-i-Naw rolls up to %v %v / %v %v", a1.Name, ok1, c.Name, ok2)
	}
	if d, ok := m.g.Admin2Of(p); !ok || d.Admin2 != "AF.02.1901" {
		t.Errorf("Admin2Of(Qala-i-Naw) = %+v, %v", d, ok)
	}
}

func TestResolveIgnoresBadMentions(t *testing.T) {
	g := Default()
	text := "Kabul"
	for _, m := range []Mention{
		{Name: -1, Start: 0, End: 5, Flags: corpus.Capitalised},
		{Name: len(g.Names()), Start: 0, End: 5, Flags: corpus.Capitalised},
		{Name: 0, Start: 3, End: 9, Flags: corpus.Capitalised},
		{Name: 0, Start: 4, End: 2, Flags: corpus.Capitalised},
	} {
		if tags := g.Resolve(text, []Mention{m}); len(tags) != 0 {
			t.Errorf("Resolve with %+v = %v", m, tags)
		}
	}
}

// A tiny gazetteer pins the policy down without the embedded data.
func tinyGazetteer() *Gazetteer {
	places := []Place{
		{ID: 1, Name: "Utopia", Level: LevelCountry, Country: "UT"},
		{ID: 2, Name: "North", Level: LevelAdmin1, Country: "UT", Admin1: "UT.01"},
		{ID: 3, Name: "Harbour", Level: LevelCity, Country: "UT", Admin1: "UT.01", Population: 5000},
		{ID: 4, Name: "Erewhon", Level: LevelCountry, Country: "ER"},
		{ID: 5, Name: "Harbour", Level: LevelCity, Country: "ER", Admin1: "ER.01", Population: 90000},
		{ID: 6, Name: "Capital", Level: LevelCity, Country: "ER", Admin1: "ER.01", Population: 500000},
	}
	names := []Name{
		{Text: "Utopia", Places: []int64{1}},
		{Text: "North Province", Places: []int64{2}},
		{Text: "Harbour", Places: []int64{5, 3}, Common: true},
		{Text: "Erewhon", Places: []int64{4}},
		{Text: "Capital", Places: []int64{6}, Common: true},
		{Text: "Utopian", Places: []int64{1}, Demonym: true},
		{Text: "UT", Places: []int64{1}, Upper: true},
	}
	return New(places, names)
}

func TestResolveTiny(t *testing.T) {
	m := newMatcher(tinyGazetteer())
	for _, tc := range []struct{ text, want string }{
		{"The Harbour of Utopia.", "Utopia=UT/"}, // Harbour in Utopia is small
		{"The Harbour in North Province.", "Harbour=UT/UT.01 North Province=UT/UT.01"},
		{"The Harbour, North Province.", "Harbour=UT/UT.01 North Province=UT/UT.01"},
		{"Harbour, North Province.", "Harbour=UT/UT.01 North Province=UT/UT.01"},
		{"Harbour in North Province.", "North Province=UT/UT.01"},
		{"The Capital of Erewhon.", "Capital=ER/ER.01 Erewhon=ER/"},
		{"The Capital with Utopian help.", "Utopian=UT/"},
		{"The harbour of UT and ut.", "UT=UT/"},
		{"Utopian ships.", "Utopian=UT/"},
	} {
		if got := strings.Join(describe(m.tags(tc.text)), " "); got != tc.want {
			t.Errorf("Resolve(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestResolveAllocations(t *testing.T) {
	m := defaultMatcher()
	text := strings.Repeat("Taliban fighters entered Qala-i-Naw, the capital of Badghis province in Afghanistan, "+
		"after clashes near Herat and Kabul, US officials said. ", 20)
	ms := m.mentions(text)
	dst := make([]Tag, 0, len(ms))
	allocs := testing.AllocsPerRun(20, func() { dst = m.g.AppendResolve(dst[:0], text, ms) })
	if allocs != 0 {
		t.Errorf("AppendResolve allocates %.0f times per call", allocs)
	}
	if want := len(m.g.Resolve(text, ms)); len(dst) != want || want < 100 {
		t.Errorf("AppendResolve: %d tags, Resolve: %d", len(dst), want)
	}
}
