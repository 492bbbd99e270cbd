package geo

import (
	"unicode"
	"unicode/utf8"
)

// acronym reports whether mention m, written in capitals, reads as an
// acronym: four letters or fewer, no neighbouring word in capitals and not
// at the start of a line.
func acronym(text string, m Mention) bool {
	letters := 0
	for _, r := range text[m.Start:m.End] {
		if unicode.IsLetter(r) {
			letters++
		} else {
			return false // several words
		}
	}
	if letters > 4 {
		return false
	}
	// Before: the previous word, or the start of the line.
	i := m.Start
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if r == '\n' {
			return false
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		i -= size
	}
	if i == 0 {
		return false
	}
	if w, _ := lastWord(text[:i]); capsWord(w) {
		return false
	}
	// After: the next word on the line.
	j := m.End
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if r == '\n' {
			return true
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		j += size
	}
	return !capsWord(firstWord(text[j:]))
}

// capsWord reports whether w has at least two letters, all upper case.
func capsWord(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// firstWord returns the run of letters that starts s.
func firstWord(s string) string {
	for i, r := range s {
		if !unicode.IsLetter(r) {
			return s[:i]
		}
	}
	return s
}
