package geo

import (
	"unicode"
	"unicode/utf8"
)

// acronym reports whether mention m, written in capitals, reads as an
// acronym: a ticker in angle brackets, or four letters or fewer with no
// neighbouring word in capitals and not a dateline at the start of a line
// ("ROME, March 3", "GAZA (Reuters)").
func acronym(text string, m Mention) bool {
	if m.Start > 0 && m.End < len(text) && text[m.Start-1] == '<' && text[m.End] == '>' {
		return true // a stock ticker: "Jaguar PLC <JAGRY>"
	}
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
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		i -= size
	}
	if i == 0 || text[i-1] == '\n' {
		return !dateline(text[m.End:])
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

// dateline reports whether rest, the text after a word opening a line, goes
// on as a dateline: a comma, an opening parenthesis or a dash, or the end
// of the line.
func dateline(rest string) bool {
	for _, r := range rest {
		switch r {
		case ' ', '\t':
			continue
		case ',', '(', '-', '\u2013', '\u2014', '\n', '\r':
			return true
		}
		return false
	}
	return true
}
