package rules

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/geo"
)

// The articles in testdata/languages were written for these tests: short
// reports in Dari, Pashto, Russian, Arabic, Urdu and French of events in
// named provinces, using inflected forms (Бадгиса, Кабула, قلعه‌ی نو,
// کابله, وقندهار, l'Afghanistan). Each must be tagged with the places
// listed here, by admin1 code, country code or geonameid, as rolled up.
var languageArticles = []struct {
	file string
	want []string
}{
	{"fa-badghis.txt", []string{"AF.02", "AF", "1129867", "AF.11", "AF.13"}},
	{"ps-badghis.txt", []string{"AF.02", "AF", "1129867", "AF.13"}},
	{"ru-badghis.txt", []string{"AF.02", "AF", "1129867", "AF.11", "AF.13"}},
	{"ar-helmand.txt", []string{"AF.10", "AF", "1134720", "AF.23", "AF.13", "PK"}},
	{"ur-peshawar.txt", []string{"PK.03", "PK", "1168197", "PK.08", "AF"}},
	{"fr-kunduz.txt", []string{"AF.24", "AF", "AF.13", "AF.31", "1125444", "1133616"}},
}

func languageText(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "languages", file))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// placeKeys lists what each tag stands for: its geonameid, admin1 code and
// country code.
func placeKeys(tags []geo.Tag) []string {
	var out []string
	for _, tg := range tags {
		p := tg.Place
		for _, k := range []string{strconv.FormatInt(p.ID, 10), p.Admin1, p.Country} {
			if k != "" && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

func TestLanguageArticles(t *testing.T) {
	m := defaultMatcher(t)
	for _, a := range languageArticles {
		res := m.Match(languageText(t, a.file))
		got := placeKeys(res.Tags)
		for _, w := range a.want {
			if !slices.Contains(got, w) {
				var tags []string
				for _, tg := range res.Tags {
					tags = append(tags, tg.Text+"="+tg.Place.Name)
				}
				t.Errorf("%s: %s not tagged; tags: %s", a.file, w, strings.Join(tags, ", "))
			}
		}
	}
}

// Russian words that are also towns (бор: pine forest, орёл: eagle) follow
// the policy of Mobile and Nice: a capitalised word at a sentence's start
// names nothing, and the town needs its country named in the text.
func TestCyrillicCommonWords(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct {
		text string
		want []string // place names tagged
	}{
		{"Бор горел всю ночь.", nil},
		{"Орёл и решка. Мир вам.", nil},
		{"Остров затопило. Заря была красной.", nil},
		{"Город Орёл находится в России.", []string{"Orël", "Russia"}},
	} {
		var got []string
		for _, tg := range m.Match(tc.text).Tags {
			got = append(got, tg.Place.Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q tagged %q, want %q", tc.text, got, tc.want)
		}
	}
}
