package corpus

import (
	"html"
	"strings"
)

// blockTags are the HTML elements that start a new paragraph.
var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "blockquote": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "table": true, "tr": true, "pre": true,
	"figure": true, "figcaption": true, "header": true, "footer": true, "hr": true,
	"dl": true, "dt": true, "dd": true, "aside": true, "main": true, "nav": true,
}

// newlinesToSpaces rewrites the line breaks of HTML text, which are spaces.
var newlinesToSpaces = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// paragraphBreak marks a paragraph break while tags are stripped; it cannot
// occur in the text because the text's own line breaks become spaces.
const paragraphBreak = "\n\n"

// htmlText returns the plain text of an HTML fragment: tags removed,
// entities decoded, script and style elements and comments dropped, <br> a
// line break and block elements separate paragraphs; white space inside a
// line is collapsed. Text that is not HTML comes back with only its white
// space tidied, and a '<' that opens no tag is kept.
func htmlText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	text := func(t string) { newlinesToSpaces.WriteString(&b, t) }
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			text(s)
			break
		}
		text(s[:lt])
		s = s[lt:]
		switch {
		case strings.HasPrefix(s, "<!--"):
			s = after(s[4:], "-->")
			continue
		case strings.HasPrefix(s, "<![CDATA["):
			body, rest, _ := strings.Cut(s[9:], "]]>")
			text(html.EscapeString(body))
			s = rest
			continue
		}
		name, closing, end := tagAt(s)
		if end < 0 {
			b.WriteString("&lt;")
			s = s[1:]
			continue
		}
		s = s[end:]
		switch {
		case !closing && (name == "script" || name == "style"):
			s = afterFold(s, "</"+name)
			s = after(s, ">")
		case name == "br":
			b.WriteByte('\n')
		case blockTags[name]:
			b.WriteString(paragraphBreak)
		}
	}
	return tidyLines(html.UnescapeString(b.String()))
}

// tagAt reads the tag that s starts with: its lower-case name, whether it
// is a closing tag, and the offset just past its '>'. end is -1 when s does
// not start a tag (a '<' followed by a space or digit, or never closed).
func tagAt(s string) (name string, closing bool, end int) {
	i := 1
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(s) && (isASCIILetter(s[i]) || i > start && (s[i] >= '0' && s[i] <= '9' || s[i] == '-' || s[i] == ':')) {
		i++
	}
	if i == start && (closing || i >= len(s) || s[i] != '!' && s[i] != '?') {
		return "", false, -1
	}
	name = strings.ToLower(s[start:i])
	// Find the closing '>', passing over quoted attribute values.
	var quote byte
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, closing, i + 1
		}
	}
	return "", false, -1
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// after returns what follows the first sep in s, or "" when there is none.
func after(s, sep string) string {
	if _, rest, ok := strings.Cut(s, sep); ok {
		return rest
	}
	return ""
}

// afterFold returns s from the first occurrence of the lower-case ASCII sep,
// matched without regard to ASCII case, or "" when there is none.
func afterFold(s, sep string) string {
	for i := 0; i+len(sep) <= len(s); i++ {
		j := 0
		for j < len(sep) && (s[i+j] == sep[j] || s[i+j]|0x20 == sep[j] && isASCIILetter(sep[j])) {
			j++
		}
		if j == len(sep) {
			return s[i:]
		}
	}
	return ""
}

// tidyLines collapses white space within each line, drops blank lines at
// the start and end and keeps at most one blank line between paragraphs.
func tidyLines(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blanks := 0
	for line := range strings.SplitSeq(s, "\n") {
		line = oneLine(line)
		if line == "" {
			blanks++
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blanks > 0 {
				b.WriteByte('\n')
			}
		}
		blanks = 0
		b.WriteString(line)
	}
	return b.String()
}
