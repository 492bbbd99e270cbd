package main

import (
	"cmp"
	"slices"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// addCLDR adds the name of every country in every language that CLDR
// covers (golang.org/x/text/language/display, 261 locales), written in a
// script the tokenizer can find as words: names in scripts written without
// spaces between words (Han, Kana, Thai, Lao, Khmer, Myanmar, Tibetan) or
// with spacing vowel signs inside words (the Indic scripts), which
// corpus.Tokenize cannot isolate in running text, are left out, and so is
// Hangul, whose particles join the name.
func (s *source) addCLDR() {
	var namers []display.Namer
	for _, tag := range display.Supported.Tags() {
		if n := display.Regions(tag); n != nil {
			namers = append(namers, n)
		}
	}
	for _, p := range s.sortedCountries() {
		region, err := language.ParseRegion(p.Country)
		if err != nil {
			continue // XK and other codes CLDR does not know
		}
		for _, n := range namers {
			name := n.Name(region)
			if name == "" || !segmentable(name) {
				continue
			}
			s.spell(p.ID, srcCLDR, name)
		}
	}
}

// sortedCountries returns the countries in ID order, for output that does
// not depend on map order.
func (s *source) sortedCountries() []*place {
	var out []*place
	for _, p := range s.places {
		if p.Level == 1 {
			out = append(out, p)
		}
	}
	sortPlaces(out)
	return out
}

// unsegmented are the scripts whose words corpus.Tokenize cannot isolate.
var unsegmented = []*unicode.RangeTable{
	unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai,
	unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan, unicode.Mc,
}

// segmentable reports whether name is written in a script whose words
// corpus.Tokenize finds.
func segmentable(name string) bool {
	for _, r := range name {
		if unicode.IsOneOf(unsegmented, r) {
			return false
		}
	}
	return true
}

func sortPlaces(ps []*place) {
	slices.SortFunc(ps, func(a, b *place) int { return cmp.Compare(a.ID, b.ID) })
}
