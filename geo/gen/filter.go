package main

import (
	"strings"
	"unicode"
)

// keepAlternate reports whether a GeoNames alternate name is worth a place
// in the gazetteer: written in one of the scripts of the press wirewatch
// reads (Latin; Cyrillic for Russian and Central Asia; Arabic script for
// Persian, Dari, Pashto, Urdu and Arabic), at least three letters, no
// digits, no URL, and not an all-capitals code of three letters or fewer
// (airport codes such as KBL). Other scripts are left out: CJK, Thai and
// the Indic scripts cannot be cut into words by corpus.Tokenize, and the
// others (Greek, Hebrew, Armenian, Georgian...) would add names, memory and
// ambiguity for readers this bot does not serve; countries are named in
// every segmentable script through CLDR (see addCLDR).
func keepAlternate(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.Contains(s, "://") || strings.HasPrefix(strings.ToLower(s), "www.") {
		return false
	}
	letters, upper := 0, 0
	scripts := 0 // bit set: 1 Latin, 2 Cyrillic, 4 Arabic
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
			switch {
			case unicode.Is(unicode.Latin, r):
				scripts |= 1
			case unicode.Is(unicode.Cyrillic, r):
				scripts |= 2
			case unicode.Is(unicode.Arabic, r):
				scripts |= 4
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
	cased := scripts&(1|2) != 0
	if scripts != 1 && scripts != 2 && scripts != 4 || letters <= 2 || cased && upper == 0 {
		// One script per name; names in a cased script all in lower case
		// are romanizations ("ka bu er", "hrat"), not names the press writes.
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
