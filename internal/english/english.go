// Package english writes counts as English does: "1 source", "2 sources",
// "1 story", "3 stories", so no message says "1 source(s)" or "1 stories".
package english

import (
	"strconv"
	"strings"
)

// Plural returns n and the noun, in the plural unless n is 1 or -1:
// Plural(1, "story") is "1 story", Plural(0, "story") "0 stories". The noun
// is a regular English singular: a final consonant+y becomes -ies; s, x,
// z, ch and sh take -es; anything else takes -s.
func Plural(n int, noun string) string {
	return strconv.Itoa(n) + " " + Noun(n, noun)
}

// Noun returns the noun alone, singular when n is 1 or -1 and plural
// otherwise, by the rules of Plural.
func Noun(n int, noun string) string {
	if n == 1 || n == -1 || noun == "" {
		return noun
	}
	switch {
	case strings.HasSuffix(noun, "y") && len(noun) > 1 && !strings.ContainsRune("aeiou", rune(noun[len(noun)-2])):
		return noun[:len(noun)-1] + "ies"
	case strings.HasSuffix(noun, "s"), strings.HasSuffix(noun, "x"), strings.HasSuffix(noun, "z"),
		strings.HasSuffix(noun, "ch"), strings.HasSuffix(noun, "sh"):
		return noun + "es"
	}
	return noun + "s"
}
