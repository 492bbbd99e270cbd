package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// safeText returns s with each modifier-letter apostrophe (ʼ ʻ ʿ ʾ) that
// no letter or digit follows replaced by two spaces, which keeps every
// byte offset. corpus.Tokenize does not advance past such a mark, so text
// goes through safeText before it is tokenized. It returns s itself when
// s has none, after one fast byte scan.
func safeText(s string) string {
	// The four marks are U+02BB, U+02BC, U+02BE and U+02BF: 0xCA then
	// 0xBB, 0xBC, 0xBE or 0xBF in UTF-8.
	i := strings.IndexByte(s, 0xCA)
	if i < 0 {
		return s
	}
	var b []byte
	for j := len(s) - 2; j >= i; j-- {
		if s[j] != 0xCA || !isModifierByte(s[j+1]) {
			continue
		}
		if b == nil {
			b = []byte(s)
		}
		r, _ := utf8.DecodeRune(b[j+2:])
		if j+2 < len(b) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			continue
		}
		b[j], b[j+1] = ' ', ' '
	}
	if b == nil {
		return s
	}
	return string(b)
}

func isModifierByte(c byte) bool {
	return c == 0xBB || c == 0xBC || c == 0xBE || c == 0xBF
}
