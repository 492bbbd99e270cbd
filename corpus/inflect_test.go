package corpus

import (
	"slices"
	"strings"
	"testing"
)

func TestFoldScripts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Arabic and Persian letter variants meet.
		{"علي", "علی"}, {"علی", "علی"}, {"كابل", "کابل"}, {"کابل", "کابل"},
		{"مدرسة", "مدرسه"}, {"أفغانستان", "افغانستان"}, {"إيران", "ایران"}, {"آمریکا", "امریکا"},
		// Pashto ی ې ۍ ئ, ګ and the retroflex letters.
		{"ولسوالۍ", "ولسوالی"}, {"ښارې", "شاری"}, {"جګړه", "جگره"}, {"پښتونخوا", "پشتونخوا"},
		// Urdu heh and yeh forms.
		{"پشاور ہے", "پشاور هی"}, {"بھارت", "بهارت"},
		// Diacritics, tatweel and the zero-width non-joiner.
		{"بَادْغِيس", "بادغیس"}, {"بـــادغیس", "بادغیس"}, {"می\u200cشود", "میشود"}, {"قلعهٔ نو", "قلعه نو"},
		// Arabic-Indic and Persian digits.
		{"۱۴۰۰ و ٢٠٢١", "1400 و 2021"},
		// Cyrillic case and ё; й stays.
		{"Ёлка ЁЛКА", "елка елка"}, {"Калайи-Нау", "калайи нау"}, {"Бадгис", "бадгис"},
		// Presentation forms (old fonts, PDF extracts).
		{"ﻛﺎﺑﻞ", "کابل"},
		{"Νέα Σμύρνης", "νεα σμυρνησ"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTokenizeScripts(t *testing.T) {
	text := "Талибы штурмуют Бадгис. طالبان به بادغیس حمله کردند؟ Herat"
	toks := Tokenize(nil, text)
	got := map[string]TokenFlags{}
	for _, tok := range toks {
		got[text[tok.Start:tok.End]] = tok.Flags
	}
	if got["Талибы"]&(Cyrillic|Capitalised|SentenceStart) != Cyrillic|Capitalised|SentenceStart {
		t.Errorf("Талибы flags %b", got["Талибы"])
	}
	if got["Бадгис"]&Cyrillic == 0 || got["بادغیس"]&Arabic == 0 || got["طالبان"]&SentenceStart == 0 {
		t.Errorf("flags %v", got)
	}
	if got["Herat"]&SentenceStart == 0 {
		t.Error("the Arabic question mark does not end a sentence")
	}
	if got["Herat"]&(Arabic|Cyrillic) != 0 {
		t.Error("Herat flagged with a script")
	}
}

func TestInflections(t *testing.T) {
	for _, tc := range []struct {
		word string
		want []string // forms that must be among the inflections
		not  []string // forms that must not
	}{
		{"бадгисе", []string{"бадгис"}, nil},
		{"герата", []string{"герат"}, nil},
		{"москве", []string{"москва"}, nil},
		{"сирии", []string{"сирия"}, nil},
		{"нижнем", []string{"нижний"}, nil},
		{"таджикистаном", []string{"таджикистан"}, nil},
		{"уфе", []string{"уфа"}, []string{"уф"}},
		{"قلعهی", []string{"قلعه"}, nil},
		{"هراتیان", []string{"هرات"}, nil},
		{"ولایتهای", []string{"ولایت"}, nil},
		{"وبادغیس", []string{"بادغیس"}, nil},
		{"کابله", []string{"کابل"}, nil},
		{"بالعراق", []string{"عراق", "العراق"}, nil},
		{"للعراق", []string{"العراق"}, nil},
		{"غوری", nil, []string{"غور"}}, // a surname: the stem is too short
		{"بلخ", nil, []string{"لخ"}},
		{"herat", nil, []string{"hera"}},
	} {
		got := Inflections(tc.word)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("Inflections(%q) = %q, lacks %q", tc.word, got, w)
			}
		}
		for _, w := range tc.not {
			if slices.Contains(got, w) {
				t.Errorf("Inflections(%q) = %q, has %q", tc.word, got, w)
			}
		}
		if slices.Contains(got, tc.word) {
			t.Errorf("Inflections(%q) has the word itself", tc.word)
		}
	}
}

func TestVariantsHashForms(t *testing.T) {
	text := "в Бадгисе"
	toks := Tokenize(nil, text)
	hs := Variants(nil, text, toks[1])
	if !slices.Contains(hs, HashWord("бадгис")) {
		t.Fatalf("no variant бадгис for %q", text[toks[1].Start:toks[1].End])
	}
	latin := "in Badghis"
	toks = Tokenize(nil, latin)
	if hs := Variants(nil, latin, toks[1]); len(hs) != 0 {
		t.Fatalf("Latin word has variants %v", hs)
	}
}

func FuzzInflections(f *testing.F) {
	for _, s := range []string{"в Бадгисе", "وبالعراق", "قلعه\u200cی نو", "هراتیان", "ـ", "Ёё", "ﻛﺎﺑﻞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(nil, s)
		for _, tok := range toks {
			w := FoldedWord(s, tok)
			for _, v := range Inflections(w) {
				if v == "" || v == w || len(v) > len(w)+len("ий") {
					t.Fatalf("Inflections(%q) gives %q", w, v)
				}
				if Fold(v) != v || strings.ContainsRune(v, ' ') {
					t.Fatalf("inflection %q of %q is not one folded word", v, w)
				}
			}
		}
	})
}
