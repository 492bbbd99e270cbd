package rules

import (
	"fmt"
	"unicode/utf8"
)

// Limits on a rules file, checked before it is decoded: a rules file is a
// few kilobytes and nests about six levels deep, while a file of megabytes
// or one nested thousands of levels deep would make the YAML parser take
// seconds and gigabytes before it could say anything useful.
const (
	// DefaultMaxSize is the largest rules file read, in bytes.
	DefaultMaxSize = 256 << 10
	// DefaultMaxDepth is how deeply lists and mappings may nest.
	DefaultMaxDepth = 64
)

// checkSize reports a file over max bytes.
func checkSize(file string, size, max int64) *Error {
	if size <= max {
		return nil
	}
	return &Error{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf(
		"the file is larger than the %d bytes a rules file may have; is BOT_RULES the right file?", max)}
}

// checkDepth measures how deeply data's YAML collections nest, reading it
// once without building anything, and reports where nesting first goes
// deeper than max. It reads the YAML lexically: block collections by
// their indentation and "- " and "key:" indicators, flow collections
// by their brackets, skipping comments, quoted and block scalars. Where it
// cannot tell it counts low, never high, so a file it passes may still be
// refused by the parser, but a valid file is never refused for depth
// unless it really nests deeper than max. Its memory is bounded by max.
func checkDepth(file string, data []byte, max int) *Error {
	s := depthScanner{max: max, stack: make([]block, 0, max+1)}
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		data = data[3:]
	}
	for len(data) > 0 && s.err == nil {
		end, next := lineEnd(data)
		s.line++
		s.text = data[:end]
		s.scanLine()
		data = data[next:]
	}
	if s.err == nil {
		return nil
	}
	s.err.File = file
	return s.err
}

// lineEnd returns the length of data's first line and where the next one
// starts; "\n", "\r\n" and a lone "\r" all end a line, as in YAML.
func lineEnd(data []byte) (end, next int) {
	for i, c := range data {
		switch c {
		case '\n':
			return i, i + 1
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				return i, i + 2
			}
			return i, i + 1
		}
	}
	return len(data), len(data)
}

// block is an open block collection: the column it starts at and whether
// it is a sequence (or a mapping).
type block struct {
	col int
	seq bool
}

// depthScanner is checkDepth's state between lines.
type depthScanner struct {
	max   int
	stack []block // the open block collections, innermost last
	flow  int     // open flow collections ([ and {)
	// pendingSeq is set after a line that ended with an empty sequence
	// entry ("- ").
	pendingSeq bool
	// quote is the quote character of a scalar still open at the end of
	// the previous line, or 0.
	quote byte
	// inBlock is set inside a block scalar (| or >): its lines are those
	// indented deeper than blockIndent, as deep as the first one
	// (blockContent, -1 until that line is read) or deeper.
	inBlock      bool
	blockIndent  int
	blockContent int

	line int
	text []byte
	err  *Error
}

func (s *depthScanner) scanLine() {
	indent := 0
	for indent < len(s.text) && s.text[indent] == ' ' {
		indent++
	}
	if s.inBlock {
		if skipSpaces(s.text, indent) == len(s.text) {
			return // a blank line of the block scalar
		}
		if s.blockContent < 0 && indent > s.blockIndent {
			s.blockContent = indent
		}
		if s.blockContent >= 0 && indent >= s.blockContent {
			return // a line of the block scalar
		}
		s.inBlock = false
	}
	pos := 0
	if s.quote != 0 {
		if pos = s.skipQuoted(0, s.quote); pos < 0 {
			return
		}
		s.quote = 0
		s.flowText(pos)
		return
	}
	if s.flow > 0 {
		s.flowText(0)
		return
	}
	s.blockLine(indent)
}

// blockLine reads a line in block context that starts at indent.
func (s *depthScanner) blockLine(indent int) {
	t := s.text
	pos := skipSpaces(t, indent) // tabs are no indentation, but blanks
	if pos == len(t) || t[pos] == '#' {
		return // pendingSeq carries over blank lines
	}
	if indent == 0 && hasPrefixWord(t, "---") {
		s.stack = s.stack[:0]
		pos = skipSpaces(t, 3)
	}
	for len(s.stack) > 0 && s.stack[len(s.stack)-1].col > indent {
		s.stack = s.stack[:len(s.stack)-1]
	}
	pending := s.pendingSeq
	s.pendingSeq = false
	for pos < len(t) {
		pos = skipProperties(t, pos)
		if pos == len(t) {
			return
		}
		c := t[pos]
		// "? " (an explicit key) is left to the parser, which reads it
		// as a key or as text depending on what follows.
		if (c == '-' || c == ':') && isBlank(t, pos+1) {
			if c == '-' && !s.open(pos, true, pending) {
				return
			}
			pending = false
			pos = skipSpaces(t, pos+1)
			if c == '-' && (pos == len(t) || t[pos] == '#') {
				s.pendingSeq = true // an entry whose value is on the next lines
			}
			continue
		}
		if c == '#' {
			return
		}
		if colon := s.keyEnd(pos); colon > 0 {
			if !s.open(pos, false, pending) {
				return
			}
			s.value(skipSpaces(t, colon+1))
			return
		}
		s.value(pos)
		return
	}
}

// open records a block sequence (seq) or mapping starting at column col.
// At the column of the innermost open collection it is that collection
// again, with two exceptions: a sequence under a mapping key at the key's
// column ("key:\n- a"), and a mapping after an empty entry ("-\nkey:"),
// which the parser nests into that entry; a mapping key at the column of
// an indentless sequence closes it.
func (s *depthScanner) open(col int, seq, afterEmptyEntry bool) bool {
	n := len(s.stack)
	if n > 0 && s.stack[n-1].col == col && !(afterEmptyEntry && !seq) {
		top := s.stack[n-1]
		if top.seq == seq {
			return true
		}
		if !seq && n > 1 && s.stack[n-2].col == col && !s.stack[n-2].seq {
			s.stack = s.stack[:n-1] // back to the mapping of an indentless sequence
			return true
		}
	}
	s.stack = append(s.stack, block{col, seq})
	return s.check(col)
}

// check reports the position when nesting went deeper than max.
func (s *depthScanner) check(pos int) bool {
	if len(s.stack)+s.flow <= s.max {
		return true
	}
	s.err = &Error{Line: s.line, Col: utf8.RuneCount(s.text[:pos]) + 1, Msg: fmt.Sprintf(
		"lists and mappings nest more than %d levels deep here (a rules file needs about 6); check for unclosed [ or { and for stray \"- \"", s.max)}
	return false
}

// keyEnd returns the position of the ":" that ends a mapping key starting
// at pos, or -1 when the node at pos is not a key.
func (s *depthScanner) keyEnd(pos int) int {
	t := s.text
	pos = skipProperties(t, pos)
	if pos >= len(t) {
		return -1
	}
	switch t[pos] {
	case '"', '\'':
		end := s.skipQuoted(pos+1, t[pos])
		if end < 0 {
			return -1
		}
		end = skipSpaces(t, end)
		if end < len(t) && t[end] == ':' && isBlank(t, end+1) {
			return end
		}
		return -1
	case '[', '{', '|', '>', '*', '#':
		return -1
	}
	for i := pos; i < len(t); i++ {
		switch {
		case t[i] == ':' && isBlank(t, i+1):
			return i
		case t[i] == '#' && (t[i-1] == ' ' || t[i-1] == '\t'):
			return -1
		}
	}
	return -1
}

// value reads the value of a block node starting at pos: a flow
// collection, a quoted scalar, a block scalar or a plain scalar.
func (s *depthScanner) value(pos int) {
	t := s.text
	pos = skipProperties(t, pos)
	if pos >= len(t) {
		return
	}
	switch t[pos] {
	case '[', '{':
		s.flowText(pos)
	case '"', '\'':
		end := s.skipQuoted(pos+1, t[pos])
		if end < 0 {
			s.quote = t[pos]
			return
		}
		s.flowText(end)
	case '|', '>':
		s.inBlock = true
		s.blockIndent, s.blockContent = -1, -1
		if n := len(s.stack); n > 0 {
			s.blockIndent = s.stack[n-1].col
		}
		// An explicit indentation indicator (|2, >-1) fixes the content's
		// indentation instead of its first line.
		for _, c := range t[pos+1:] {
			if c >= '1' && c <= '9' {
				s.blockContent = max(s.blockIndent, 0) + int(c-'0')
				break
			}
			if c != '-' && c != '+' {
				break
			}
		}
	}
}

// flowText reads the rest of the line from pos, counting flow brackets
// and skipping quoted scalars and comments.
func (s *depthScanner) flowText(pos int) {
	t := s.text
	for i := pos; i < len(t); i++ {
		c := t[i]
		switch c {
		case '[', '{':
			s.flow++
			if !s.check(i) {
				return
			}
		case ']', '}':
			if s.flow > 0 {
				s.flow--
			}
		case '"', '\'':
			if i > pos && !isTokenStart(t[i-1]) {
				continue // a quote inside a plain scalar: don't
			}
			end := s.skipQuoted(i+1, c)
			if end < 0 {
				s.quote = c
				return
			}
			i = end - 1
		case '#':
			// A comment follows a blank or, as the parser reads it, the
			// end of the outermost flow collection.
			if i == 0 || t[i-1] == ' ' || t[i-1] == '\t' || (s.flow == 0 && (t[i-1] == ']' || t[i-1] == '}')) {
				return
			}
		}
	}
}

// skipQuoted returns the position after the closing quote of a scalar
// whose text starts at pos, or -1 when it goes on past the line.
func (s *depthScanner) skipQuoted(pos int, q byte) int {
	t := s.text
	for i := pos; i < len(t); i++ {
		switch {
		case q == '"' && t[i] == '\\':
			i++
		case t[i] == q && q == '\'' && i+1 < len(t) && t[i+1] == '\'':
			i++
		case t[i] == q:
			return i + 1
		}
	}
	return -1
}

// skipProperties skips an anchor (&a) and a tag (!t) before a node. As
// the parser reads them, only a space ends their names.
func skipProperties(t []byte, pos int) int {
	for pos < len(t) && (t[pos] == '&' || t[pos] == '!') {
		for pos < len(t) && t[pos] != ' ' {
			pos++
		}
		pos = skipSpaces(t, pos)
	}
	return pos
}

func isTokenStart(prev byte) bool {
	switch prev {
	case ' ', '\t', '[', '{', ',', ':':
		return true
	}
	return false
}

// isBlank reports whether t ends at pos or has a space or tab there.
func isBlank(t []byte, pos int) bool {
	return pos >= len(t) || t[pos] == ' ' || t[pos] == '\t'
}

func skipSpaces(t []byte, pos int) int {
	for pos < len(t) && (t[pos] == ' ' || t[pos] == '\t') {
		pos++
	}
	return pos
}

// hasPrefixWord reports whether t starts with w followed by a blank.
func hasPrefixWord(t []byte, w string) bool {
	return len(t) >= len(w) && string(t[:len(w)]) == w && isBlank(t, len(w))
}
