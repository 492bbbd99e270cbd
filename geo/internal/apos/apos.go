// Package apos cleans the modifier-letter apostrophes (ʼ ʻ ʿ ʾ) that
// transliterate ayn and hamza in place names. corpus.Tokenize drops them
// inside a word but does not return when one ends a word ("Karbalāʼ"), so
// every name the gazetteer folds or stores goes through Clean first.
package apos

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s without the modifier-letter apostrophes that no letter
// or digit follows, every other byte kept; s itself when it has none.
func Clean(s string) string {
	if !strings.ContainsAny(s, "\u02BC\u02BB\u02BF\u02BE") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isModifier(r) {
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if !unicode.IsLetter(next) && !unicode.IsDigit(next) || isModifier(next) {
				i += size
				continue
			}
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

func isModifier(r rune) bool {
	return r == '\u02BC' || r == '\u02BB' || r == '\u02BF' || r == '\u02BE'
}
