package corpus

import (
	"strings"
	"unicode/utf8"
)

// Inflection. Russian declines place names (Бадгис, в Бадгисе, из
// Бадгиса; Москва, в Москве); Persian and Dari add plural, ezafe and
// adjective suffixes (قلعه‌ی نو, هراتی); Pashto adds case endings (د هرات
// ښار, هراتو); Arabic joins "and", "in", "to" and the article to the next
// word (وبادغيس, بالعراق). The method: the index holds words in their
// dictionary form only, as the gazetteer and rules.yaml write them, and a
// word of Cyrillic or Arabic script that does not match as written is
// tried again in each form it could stand for once one ending from a
// closed list (and in Arabic one prefix) is taken off, the first that
// matches winning. A word that matches as written is never reinterpreted,
// and stems stay long enough that a short name cannot match inside another
// word: at least two letters before a Russian ending (three with what
// replaces it), four before an Arabic-script suffix, three after a prefix.

// cyrillicEndings are Russian noun and adjective case endings.
var cyrillicEndings = []string{
	"ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими",
	"ом", "ем", "ой", "ей", "ою", "ею", "ью", "ам", "ям", "ах", "ях", "ов", "ев",
	"ым", "им", "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ий", "ый",
	"а", "я", "у", "ю", "е", "и", "ы", "о",
}

// cyrillicRestore are the dictionary-form endings a Russian stem may take
// back: nothing (Бадгис), а/я (Москва, Сирия), ь (Тверь), й, о, е, and the
// adjective endings of names such as Нижний Новгород.
var cyrillicRestore = []string{"", "а", "я", "ь", "й", "о", "е", "ий", "ый", "ая", "ое"}

// arabicPrefixes are the particles Arabic writes joined to the next word:
// the article with and, with, like, so and to (وال بال کال فال لل), the
// article alone, and and, with, to, so alone.
var arabicPrefixes = []string{"وال", "بال", "کال", "فال", "لل", "ال", "و", "ب", "ل", "ف"}

// arabicSuffixes are Persian, Dari, Pashto and Arabic suffixes a name may
// carry: plurals (ها های هایی ان یان ون ین ونه ونو انو گانو), the ezafe and
// adjective ی and its forms after a vowel (یی ای), the Arabic nisba (یه),
// the Pashto "to" (ته), ablative ه (له کابله) and oblique plural و
// (طالبانو), after folding (ی for ي ې ۍ, ه for ة, گ for ګ).
var arabicSuffixes = []string{
	"هایی", "گانو", "های", "یان", "ونه", "ونو", "انو",
	"ها", "ان", "ون", "ین", "یی", "ای", "یه", "ته", "ی", "ه", "و",
}

// Limits of Inflections, in letters.
const (
	minCyrillicStem = 2
	minCyrillicForm = 3
	minArabicStem   = 4
	minArabicBase   = 3
)

// Inflections returns the forms the folded word w may stand for once an
// inflection is taken off (see the method above), without w itself, or
// nil for a word of another script.
func Inflections(w string) []string {
	if w == "" {
		return nil
	}
	r, _ := utf8.DecodeRuneInString(w)
	switch scriptOf(r) {
	case Cyrillic:
		return cyrillicForms(nil, w)
	case Arabic:
		return arabicForms(nil, w)
	}
	return nil
}

func cyrillicForms(out []string, w string) []string {
	for _, e := range cyrillicEndings {
		stem, ok := strings.CutSuffix(w, e)
		if !ok || utf8.RuneCountInString(stem) < minCyrillicStem {
			continue
		}
		for _, back := range cyrillicRestore {
			f := stem + back
			if f != w && utf8.RuneCountInString(f) >= minCyrillicForm {
				out = appendNew(out, f)
			}
		}
	}
	return out
}

func arabicForms(out []string, w string) []string {
	bases := []string{w}
	for _, p := range arabicPrefixes {
		b, ok := strings.CutPrefix(w, p)
		if !ok || utf8.RuneCountInString(b) < minArabicBase {
			continue
		}
		bases = appendNew(bases, b)
		if strings.HasSuffix(p, "ال") || p == "لل" {
			bases = appendNew(bases, "ال"+b) // names that keep the article: العراق
		}
	}
	for i, b := range bases {
		if i > 0 {
			out = appendNew(out, b)
		}
		for _, s := range arabicSuffixes {
			if stem, ok := strings.CutSuffix(b, s); ok && utf8.RuneCountInString(stem) >= minArabicStem {
				out = appendNew(out, stem)
			}
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	for _, o := range list {
		if o == s {
			return list
		}
	}
	return append(list, s)
}

// Variants appends to dst the hashes (HashWord) of the forms the word t of
// text may stand for once an inflection is taken off (Inflections), and
// returns it; dst is returned unchanged for a word of a script without
// inflection handling, so Latin text costs nothing.
func Variants(dst []uint64, text string, t Token) []uint64 {
	if t.Flags&(Cyrillic|Arabic) == 0 {
		return dst
	}
	for _, f := range Inflections(FoldedWord(text, t)) {
		dst = append(dst, HashWord(f))
	}
	return dst
}
