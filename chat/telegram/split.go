package telegram

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// MaxMessageLen is the length, in UTF-16 code units, that wirewatch keeps
// every Telegram message under. Telegram allows 1-4096 characters of text
// after entity parsing and counts them in UTF-16 code units (as it counts
// entity offsets). SplitHTML measures the HTML source, tags and entities
// included, which is never shorter than the parsed text, and stays at 4000
// for a margin.
//
// Specs: https://core.telegram.org/bots/api#sendmessage
const MaxMessageLen = 4000

// minSplitLimit is the smallest limit SplitHTML honours: below it a part
// could not hold one character between a reopened tag and its closer.
const minSplitLimit = 64

// SplitHTML splits well-formed Telegram HTML (as EscapeHTML and Render
// produce) into parts of at most limit UTF-16 code units each. It cuts at
// a blank line, else at a line break, when one lies in the second half of a
// part, otherwise at a space, and only when a word is longer than a part
// inside a word; never inside a tag or an entity. Tags open at a cut are closed at the end of
// the part and reopened at the start of the next, so every part is
// well-formed on its own. Whitespace at a cut is dropped, and parts with no
// visible text are left out. A limit below 64 counts as 64.
func SplitHTML(s string, limit int) []string {
	limit = max(limit, minSplitLimit)
	if utf16Len(s) <= limit {
		if !hasText(tokenize(s)) {
			return nil
		}
		return []string{s}
	}
	atoms := tokenize(s)
	var parts []string
	var stack []openTag
	for i := 0; i < len(atoms); {
		i, stack = skipLead(atoms, i, stack)
		if i == len(atoms) {
			break
		}
		part, end, next := nextPart(atoms, i, stack, limit)
		if hasText(atoms[i:end]) {
			parts = append(parts, part)
		}
		i, stack = end, next
	}
	return parts
}

type atomKind uint8

const (
	atomText atomKind = iota // a character or an entity
	atomSpace
	atomNewline
	atomOpen
	atomClose
)

// atom is a piece of HTML that a cut never divides.
type atom struct {
	raw   string
	kind  atomKind
	name  string // tag name, lower case, for atomOpen and atomClose
	units int
}

// openTag is a tag open at some point of the text. A dropped tag is not
// reopened after a cut (its opening tag would not leave room for text), and
// its closing tag is then left out too.
type openTag struct {
	name, raw string
	dropped   bool
}

func tokenize(s string) []atom {
	atoms := make([]atom, 0, len(s))
	for i := 0; i < len(s); {
		a := nextAtom(s[i:])
		atoms = append(atoms, a)
		i += len(a.raw)
	}
	return atoms
}

func nextAtom(s string) atom {
	switch s[0] {
	case '<':
		if j := strings.IndexByte(s, '>'); j > 1 {
			raw := s[:j+1]
			if raw[1] == '/' {
				return atom{raw: raw, kind: atomClose, name: tagName(raw[2:j]), units: utf16Len(raw)}
			}
			return atom{raw: raw, kind: atomOpen, name: tagName(raw[1:j]), units: utf16Len(raw)}
		}
	case '&':
		if j := strings.IndexByte(s, ';'); j > 1 && j <= 10 {
			return atom{raw: s[:j+1], kind: atomText, units: j + 1}
		}
	case '\n':
		return atom{raw: "\n", kind: atomNewline, units: 1}
	case ' ', '\t':
		return atom{raw: s[:1], kind: atomSpace, units: 1}
	}
	r, n := utf8.DecodeRuneInString(s)
	return atom{raw: s[:n], kind: atomText, units: utf16Len(string(r))}
}

func tagName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t\n"); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

// skipLead skips whitespace at the start of a part, and closing tags of
// tags open at the cut (which would only leave an empty element).
func skipLead(atoms []atom, i int, stack []openTag) (int, []openTag) {
	for ; i < len(atoms); i++ {
		a := atoms[i]
		switch {
		case a.kind == atomSpace || a.kind == atomNewline:
		case a.kind == atomClose && len(stack) > 0 && stack[len(stack)-1].name == a.name:
			stack = stack[: len(stack)-1 : len(stack)-1]
		default:
			return i, stack
		}
	}
	return i, stack
}

// cut is a place a part may end: the atoms before end, the bytes of the
// part written so far and the tags open there.
type cut struct {
	end, size, units int
	stack            []openTag
}

// nextPart writes the part that starts at atoms[i] with stack open.
// Stacks are never changed in place, so cuts can keep them.
func nextPart(atoms []atom, i int, stack []openTag, limit int) (part string, end int, next []openTag) {
	stack = fitStack(stack, limit)
	buf := []byte(reopen(stack))
	units := utf16Len(string(buf))
	none := cut{end: -1}
	para, nl, sp, last := none, none, none, none
	j := i
	for ; j < len(atoms); j++ {
		a := atoms[j]
		au, after := step(stack, a)
		if units+au+closeCost(after) > limit {
			if last.end < 0 && a.kind == atomOpen {
				// Nothing written yet and the tag does not fit: keep its
				// text, drop the tag.
				stack = push(stack, openTag{name: a.name, raw: a.raw, dropped: true})
				continue
			}
			if last.end >= 0 {
				break
			}
			// A single character that does not fit after the reopened
			// tags: write it anyway rather than loop forever.
		}
		if au > 0 {
			buf = append(buf, a.raw...)
		}
		units += au
		stack = after
		here := cut{end: j + 1, size: len(buf), units: units, stack: stack}
		switch a.kind {
		case atomNewline:
			if nl.end == j {
				para = here
			}
			nl, last = here, here
		case atomSpace:
			sp, last = here, here
		case atomText, atomClose:
			last = here
		}
	}
	if j < len(atoms) {
		c := last
		switch {
		case para.end > i && para.units >= limit/2:
			c = para
		case nl.end > i && (nl.units >= limit/2 || sp.end <= i):
			c = nl
		case sp.end > i:
			c = sp
		}
		buf, j, stack = bytes.TrimRight(buf[:c.size], " \t\n"), c.end, c.stack
	}
	return string(buf) + closers(stack), j, stack
}

// step returns the units atom a adds after stack, and the stack after it.
func step(stack []openTag, a atom) (int, []openTag) {
	switch a.kind {
	case atomOpen:
		return a.units, push(stack, openTag{name: a.name, raw: a.raw})
	case atomClose:
		if n := len(stack); n > 0 && stack[n-1].name == a.name {
			if stack[n-1].dropped {
				return 0, stack[: n-1 : n-1]
			}
			return a.units, stack[: n-1 : n-1]
		}
	}
	return a.units, stack
}

func push(stack []openTag, t openTag) []openTag {
	out := make([]openTag, len(stack), len(stack)+1)
	copy(out, stack)
	return append(out, t)
}

// fitStack drops the longest opening tags to reopen until reopening and
// closing them takes at most half a part.
func fitStack(stack []openTag, limit int) []openTag {
	for reopenCost(stack)+closeCost(stack) > limit/2 {
		longest := -1
		for k, t := range stack {
			if !t.dropped && (longest < 0 || len(t.raw) > len(stack[longest].raw)) {
				longest = k
			}
		}
		if longest < 0 {
			break
		}
		out := make([]openTag, len(stack))
		copy(out, stack)
		out[longest].dropped = true
		stack = out
	}
	return stack
}

func reopen(stack []openTag) string {
	var b strings.Builder
	for _, t := range stack {
		if !t.dropped {
			b.WriteString(t.raw)
		}
	}
	return b.String()
}

func reopenCost(stack []openTag) int { return utf16Len(reopen(stack)) }

func closers(stack []openTag) string {
	var b strings.Builder
	for k := len(stack) - 1; k >= 0; k-- {
		if !stack[k].dropped {
			b.WriteString("</" + stack[k].name + ">")
		}
	}
	return b.String()
}

func closeCost(stack []openTag) int { return utf16Len(closers(stack)) }

// hasText reports whether atoms hold anything visible but whitespace.
func hasText(atoms []atom) bool {
	for _, a := range atoms {
		if a.kind == atomText {
			return true
		}
	}
	return false
}
