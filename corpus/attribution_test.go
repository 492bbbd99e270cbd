package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestAttributeSeeds(t *testing.T) {
	for _, tc := range []struct {
		file, outlet string
		credits      []string
		place        string
		month        time.Month
		day          int
		leadPrefix   string
	}{
		{"000_e6838cd641e1a9de.txt", "", []string{"AFP"}, "", 0, 0, "Smoke covered"},
		{"001_fc740f64b8427574.txt", "", []string{"AFP"}, "Herat", time.July, 8, "HERAT (Afghanistan), July 8"},
		{"002_e2eb9a51c8fe133c.txt", "", nil, "", 0, 0, "Kabul flew"},
		{"003_e282b53e72c4bdf8.txt", "Islam Times", nil, "", 0, 0, "The Taliban launched"},
		{"004_5941484da3f2d08f.txt", "UrduPoint / Pakistan Point News", nil, "Herat", time.July, 7, "Herat, Afghanistan, July 7"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "examples", "corpus", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		docs, err := Parse(tc.file, b, time.Date(2021, 7, 9, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		a := Attribute(docs[0].Body)
		if a.Outlet != tc.outlet || !slices.Equal(a.Credits, tc.credits) {
			t.Errorf("%s: outlet %q credits %q; want %q %q", tc.file, a.Outlet, a.Credits, tc.outlet, tc.credits)
		}
		switch {
		case tc.place == "" && a.Dateline != nil:
			t.Errorf("%s: dateline %+v, want none", tc.file, *a.Dateline)
		case tc.place != "" && (a.Dateline == nil || a.Dateline.Place != tc.place || a.Dateline.Month != tc.month || a.Dateline.Day != tc.day):
			t.Errorf("%s: dateline %+v, want %s %s %d", tc.file, a.Dateline, tc.place, tc.month, tc.day)
		}
		if lead := docs[0].Body[a.Lead:]; len(lead) < len(tc.leadPrefix) || lead[:len(tc.leadPrefix)] != tc.leadPrefix {
			t.Errorf("%s: lead starts %.40q, want %q", tc.file, lead, tc.leadPrefix)
		}
		if tc.outlet != "" && docs[0].Source != tc.outlet {
			t.Errorf("%s: Source %q, want the outlet %q", tc.file, docs[0].Source, tc.outlet)
		}
	}
}

func TestAttributeDatelines(t *testing.T) {
	ref := time.Date(2022, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		text, place, credit string
		date                string // "" when none
	}{
		{"KABUL (Reuters) - Taliban fighters entered the city.", "Kabul", "Reuters", ""},
		{"PESHAWAR, Pakistan, August 26, 2022 - A blast hit the market.", "Peshawar", "", "2022-08-26"},
		{"MAZAR-I-SHARIF, Afghanistan, Sept 3 (AP) -- Fighting spread.", "Mazar-I-Sharif", "AP", "2021-09-03"},
		{"ISLAMABAD, Dec 31 — Officials said.", "Islamabad", "", "2021-12-31"},
		// Day first, in Cyrillic and Arabic script; solar hijri months.
		{"ГЕРАТ, 8 июля — Талибы вошли в Калайи-Нау.", "Герат", "", "2022-07-08"},
		{"КАБУЛ, 8 июля. /ТАСС/. Талибы вошли в город.", "Кабул", "TASS", "2022-07-08"},
		{"هرات (افغانستان)، ۱۷ سرطان — طالبان وارد شهر قلعه نو شدند.", "هرات", "", "2022-07-08"},
		{"هرات، ۱۷ سرطان ۱۴۰۰ (پژواک) - طالبان وارد شهر شدند.", "هرات", "", "2021-07-08"},
		{"کابل، ۱۶ تیر — طالبان", "کابل", "", "2022-07-07"},
		{"بيشاور، 26 أغسطس 2022 - انفجار في السوق.", "بيشاور", "", "2022-08-26"},
		{"Москва, 1 сентября (РИА Новости) — Заявление.", "Москва", "RIA Novosti", "2022-09-01"},
		{"Он сказал, 8 раз — нет.", "", "", ""},
		{"ГЕРАТ, 7 июля. Боевики начали штурм.", "Герат", "", "2022-07-07"},
		{"Москва, 7 июля. Он так сказал.", "", "", ""},
		{"The Taliban - who took the city - said so.", "", "", ""},
		{"On Wednesday, the Taliban seized the police headquarters.", "", "", ""},
	} {
		a := Attribute(tc.text)
		if tc.place == "" {
			if a.Dateline != nil {
				t.Errorf("%q: dateline %+v", tc.text, *a.Dateline)
			}
			continue
		}
		if a.Dateline == nil || a.Dateline.Place != tc.place {
			t.Errorf("%q: dateline %+v, want %s", tc.text, a.Dateline, tc.place)
			continue
		}
		if tc.credit != "" && !slices.Contains(a.Credits, tc.credit) {
			t.Errorf("%q: credits %q, want %s", tc.text, a.Credits, tc.credit)
		}
		d, ok := a.Dateline.Date(ref)
		if tc.date == "" && ok || tc.date != "" && (!ok || d.Format("2006-01-02") != tc.date) {
			t.Errorf("%q: date %v %v, want %q", tc.text, d, ok, tc.date)
		}
	}
}

func FuzzAttribute(f *testing.F) {
	addFiles(f, "../examples/corpus/*.txt")
	f.Add([]byte("KABUL (Reuters) - x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := string(b)
		a := Attribute(s)
		if a.Lead < 0 || a.Lead > len(s) {
			t.Fatalf("lead %d outside the body of %d bytes", a.Lead, len(s))
		}
		if a.Dateline != nil {
			if d, ok := a.Dateline.Date(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)); ok && d.After(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) && a.Dateline.Year == 0 {
				t.Fatalf("dateline date %v after the reference", d)
			}
		}
	})
}
