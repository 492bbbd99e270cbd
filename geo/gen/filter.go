package main

import (
	"strings"
	"unicode"
)

// keepAlternate reports whether a GeoNames alternate name is worth a place
// in the gazetteer: written in Latin script (for Afghan places, Persian and
// Pashto script too), at least three letters, no digits, no URL, and not an
// all-capitals code of three letters or fewer (airport codes such as KBL).
func keepAlternate(s string, afghan bool) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.Contains(s, "://") || strings.HasPrefix(strings.ToLower(s), "www.") {
		return false
	}
	letters, upper := 0, 0
	latin, arabic := false, false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
			switch {
			case unicode.Is(unicode.Latin, r):
				latin = true
			case afghan && unicode.Is(unicode.Arabic, r):
				arabic = true
			default:
				return false
			}
		case unicode.IsDigit(r):
			return false
		case unicode.Is(unicode.Mn, r), punctOK(r):
		default:
			return false
		}
	}
	if latin && arabic || letters <= 2 || latin && upper == 0 {
		// Latin names all in lower case are romanizations ("ka bu er",
		// "hrat"), not names the press writes.
		return false
	}
	return !(upper == letters && letters <= 3)
}

// punctOK reports whether r may appear in a kept name: spaces, hyphens,
// dots, apostrophes and the marks that transliterate ayn and hamza, and the
// zero-width non-joiner of Persian script.
func punctOK(r rune) bool {
	switch r {
	case ' ', '-', '.', '\'', '`', '\u2019', '\u2018', '\u02BC', '\u02BB', '\u02BF', '\u02BE',
		'\u00B4', '\u2010', '\u2011', '\u200C':
		return true
	}
	return false
}
