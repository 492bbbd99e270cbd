package corpus

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// datePrefix matches the " date YYYY-MM-DD " that opens a dated text file
// (or " date MM/DD/YYYY "); the leading space, the case of "date", a colon
// after it and extra white space are all tolerated. Group 1 is the date,
// group 2 what ends it.
var datePrefix = regexp.MustCompile(`^\s*(?i:date):?[ \t]+(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})([ \t]*\n|[ \t]+|$)`)

// Headline limits: a first line longer than this is a paragraph.
const (
	maxHeadlineRunes = 200
	maxHeadlineWords = 25
)

// Derived title limits.
const (
	maxTitleWords = 12
	maxTitleRunes = 100
)

// parsePlain reads a .txt or .md file. It returns false when the file holds
// no text. The title is left empty when the file has no headline, for
// finish to derive.
func parsePlain(s string, markdown bool) (Document, bool) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var d Document
	// A date on the same line as the text is followed by the body; a date
	// on a line of its own may be followed by a headline.
	headlineAllowed := true
	if m := datePrefix.FindStringSubmatchIndex(s); m != nil {
		if t, err := time.Parse("2006-1-2", s[m[2]:m[3]]); err == nil {
			d.Published = t
		} else if t, err := ParseTime(s[m[2]:m[3]]); err == nil {
			d.Published = t
		}
		headlineAllowed = m[5] == len(s) || strings.Contains(s[m[4]:m[5]], "\n")
		s = s[m[1]:]
	}
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if s == "" {
		return d, false
	}
	if headlineAllowed {
		first, rest, _ := strings.Cut(s, "\n")
		switch {
		case markdown && isATXHeading(first):
			d.Title = strings.TrimRight(strings.TrimLeft(first, "#"), "# \t")
			s = rest
		case isHeadline(first, rest):
			d.Title = first
			s = rest
		}
	}
	d.Body = s
	return d, true
}

// isATXHeading reports whether line is a markdown "# Title" heading.
func isATXHeading(line string) bool {
	t := strings.TrimLeft(line, "#")
	n := len(line) - len(t)
	return n >= 1 && n <= 6 && (t == "" || t[0] == ' ' || t[0] == '\t') && strings.TrimSpace(t) != ""
}

// isHeadline reports whether line, followed by rest, is a headline rather
// than the first paragraph: it is short, does not end a sentence or lead
// into one (a final period, comma, colon or semicolon) and more text
// follows it.
func isHeadline(line, rest string) bool {
	line = strings.TrimSpace(line)
	if line == "" || strings.TrimSpace(rest) == "" {
		return false
	}
	if utf8.RuneCountInString(line) > maxHeadlineRunes || len(strings.Fields(line)) > maxHeadlineWords {
		return false
	}
	end := strings.TrimRight(line, closers)
	if end == "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(end)
	switch last {
	case '.', ',', ';', ':', '…':
		return false
	}
	return true
}

// paragraphs tidies a body: it trims each line's trailing white space, keeps
// at most one blank line between paragraphs and trims the whole.
func paragraphs(s string) string {
	if !strings.ContainsAny(s, "\r\n\t ") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for line := range strings.Lines(s) {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if strings.TrimSpace(line) == "" {
			blank = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(line)
	}
	return b.String()
}

// deriveTitle makes a title from a body without a headline: the first
// sentence of the first line of at least three words (a lone byline or
// handle is passed over) of the article proper, after photo captions,
// "Follow us" lines, an outlet's credit and a dateline (see Attribute), cut
// to about maxTitleWords words at a word boundary with an ellipsis when
// longer. It is "" only when the body has no word.
func deriveTitle(body string) string {
	if t := titleFrom(leadText(body)); t != "" {
		return t
	}
	return titleFrom(body)
}

// leadText is body from where the article proper starts, without the
// dateline that may open it.
func leadText(body string) string {
	a := Attribute(body)
	s := body[a.Lead:]
	if a.Dateline != nil {
		s = s[datelineEnd(s):]
	}
	return s
}

// titleFrom is deriveTitle on text as it is.
func titleFrom(body string) string {
	var para string
	for line := range strings.Lines(body) {
		if !hasWord(line) {
			continue
		}
		if para == "" {
			para = line
		}
		if len(strings.Fields(line)) >= 3 {
			para = line
			break
		}
	}
	first := firstSentence(para)
	if !hasWord(first) {
		first = para
	}
	sentence := strings.Fields(first)
	if len(sentence) == 0 {
		return ""
	}
	full := strings.Join(sentence, " ")
	if len(sentence) <= maxTitleWords && utf8.RuneCountInString(full) <= maxTitleRunes {
		if strings.HasSuffix(full, ".") && !strings.HasSuffix(full, "..") {
			full = strings.TrimSpace(full[:len(full)-1])
		}
		return full
	}
	var b strings.Builder
	for i, w := range sentence {
		if i == maxTitleWords || utf8.RuneCountInString(b.String())+1+utf8.RuneCountInString(w) > maxTitleRunes {
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	title := b.String()
	if title == "" { // one word longer than the limit
		title = string([]rune(sentence[0])[:maxTitleRunes])
	}
	return strings.TrimRight(title, ",;:-–—(/[ ") + "…"
}

// hasWord reports whether s has a letter or a digit.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "gen": true, "lt": true,
	"col": true, "sgt": true, "capt": true, "gov": true, "sen": true, "rep": true,
	"prof": true, "no": true, "vs": true, "etc": true, "inc": true, "ltd": true,
	"co": true, "corp": true, "jan": true, "feb": true, "mar": true, "apr": true,
	"jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true,
	"nov": true, "dec": true,
}

// closers are the quotes and brackets that may follow a sentence's end.
const closers = "\"')]”’»"

// firstSentence returns the first sentence of s: up to the first '.', '!'
// or '?' (with any closing quotes) that is followed by white space or the
// end, passing over abbreviations and initials.
func firstSentence(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !strings.ContainsRune(closers, r) {
				break
			}
			j += size
		}
		if j < len(s) && !unicode.IsSpace(rune(s[j])) {
			continue
		}
		if c == '.' && isAbbreviation(s[:i]) {
			continue
		}
		return s[:j]
	}
	return s
}

// isAbbreviation reports whether the word that ends s is an abbreviation or
// an initial ("U.S", "Mr").
func isAbbreviation(s string) bool {
	start := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' })
	w := s
	if start >= 0 {
		_, size := utf8.DecodeRuneInString(s[start:])
		w = s[start+size:]
	}
	if i := strings.LastIndexByte(w, '.'); i >= 0 {
		w = w[i+1:]
	}
	return utf8.RuneCountInString(w) == 1 || abbreviations[strings.ToLower(w)]
}
