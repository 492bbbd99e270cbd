package chattest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TelegramMaxText is the Bot API's limit on a message's text after entity
// parsing, in UTF-16 code units.
const TelegramMaxText = 4096

// telegramTags are the tags of the Bot API's HTML style, with the
// attributes each may carry ("!" marks a required one).
var telegramTags = map[string][]string{
	"b": nil, "strong": nil, "i": nil, "em": nil, "u": nil, "ins": nil,
	"s": nil, "strike": nil, "del": nil, "tg-spoiler": nil,
	"span":       {"!class"},
	"a":          {"!href"},
	"code":       {"class"},
	"pre":        nil,
	"blockquote": {"expandable"},
	"tg-emoji":   {"!emoji-id"},
}

// TelegramParseHTML parses s as the Bot API's HTML parse mode does and
// returns the text a user sees: tags removed, entities decoded. It follows
// https://core.telegram.org/bots/api#html-style and is stricter than
// Telegram where Telegram forgives: every `<`, `>` and `&` outside a tag
// must be escaped, attribute values must be double-quoted, and only the
// named entities &lt; &gt; &amp; &quot; and numeric ones are known. Tags
// must be of the documented set, balanced and properly nested; nothing may
// nest in code or pre (but code in pre), and links may not nest.
func TelegramParseHTML(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("text must be encoded in UTF-8")
	}
	var out strings.Builder
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			var err error
			if stack, err = telegramTag(s[i+1:i+j], stack); err != nil {
				return "", fmt.Errorf("%w at byte offset %d", err, i)
			}
			i += j + 1
		case '&':
			text, n, err := telegramEntity(s[i:])
			if err != nil {
				return "", fmt.Errorf("%w at byte offset %d", err, i)
			}
			out.WriteString(text)
			i += n
		case '>':
			return "", fmt.Errorf("unescaped \">\" at byte offset %d", i)
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag %q", stack[len(stack)-1])
	}
	return out.String(), nil
}

// telegramTag checks one tag (without < and >) against the open tags.
func telegramTag(tag string, stack []string) ([]string, error) {
	if rest, ok := strings.CutPrefix(tag, "/"); ok {
		name := strings.ToLower(strings.TrimSpace(rest))
		if len(stack) == 0 || stack[len(stack)-1] != name {
			return nil, fmt.Errorf("unmatched end tag %q", name)
		}
		return stack[:len(stack)-1], nil
	}
	name, attrs, err := telegramAttrs(tag)
	if err != nil {
		return nil, err
	}
	allowed, ok := telegramTags[name]
	if !ok {
		return nil, fmt.Errorf("unsupported start tag %q", name)
	}
	for _, a := range allowed {
		if req, ok := strings.CutPrefix(a, "!"); ok {
			if _, has := attrs[req]; !has {
				return nil, fmt.Errorf("tag %q must have attribute %q", name, req)
			}
		}
	}
	for a := range attrs {
		if !slices.Contains(allowed, a) && !slices.Contains(allowed, "!"+a) {
			return nil, fmt.Errorf("unsupported attribute %q of tag %q", a, name)
		}
	}
	if name == "span" && attrs["class"] != "tg-spoiler" {
		return nil, fmt.Errorf("tag \"span\" must have class \"tg-spoiler\"")
	}
	for _, open := range stack {
		switch {
		case open == "pre" && name == "code" && stack[len(stack)-1] == "pre":
		case open == "code" || open == "pre":
			return nil, fmt.Errorf("can't nest %q in %q", name, open)
		case open == "a" && name == "a":
			return nil, fmt.Errorf("can't nest links")
		}
	}
	return append(stack, name), nil
}

// telegramAttrs splits `name a="v" b="w"` into the name and the decoded
// attribute values.
func telegramAttrs(tag string) (string, map[string]string, error) {
	name, rest, _ := strings.Cut(strings.TrimSpace(tag), " ")
	name = strings.ToLower(name)
	if name == "" {
		return "", nil, fmt.Errorf("empty tag")
	}
	attrs := map[string]string{}
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
		key, after, ok := strings.Cut(rest, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		if !ok {
			if strings.ContainsAny(key, " \"'") || key == "" {
				return "", nil, fmt.Errorf("bad attribute in tag %q", name)
			}
			attrs[key] = ""
			break
		}
		if !strings.HasPrefix(after, `"`) {
			return "", nil, fmt.Errorf("attribute %q of tag %q is not double-quoted", key, name)
		}
		end := strings.IndexByte(after[1:], '"')
		if end < 0 {
			return "", nil, fmt.Errorf("unclosed attribute %q of tag %q", key, name)
		}
		raw := after[1 : 1+end]
		if strings.ContainsAny(raw, "<>") {
			return "", nil, fmt.Errorf("unescaped character in attribute %q of tag %q", key, name)
		}
		val, err := telegramDecode(raw)
		if err != nil {
			return "", nil, fmt.Errorf("attribute %q of tag %q: %w", key, name, err)
		}
		attrs[key] = val
		rest = after[2+end:]
	}
	return name, attrs, nil
}

// telegramDecode decodes the entities of an attribute value.
func telegramDecode(s string) (string, error) {
	var out strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '&' {
			out.WriteByte(s[i])
			i++
			continue
		}
		text, n, err := telegramEntity(s[i:])
		if err != nil {
			return "", err
		}
		out.WriteString(text)
		i += n
	}
	return out.String(), nil
}

// telegramEntity decodes the entity at the start of s and returns its text
// and length.
func telegramEntity(s string) (string, int, error) {
	j := strings.IndexByte(s, ';')
	if j < 0 || j > 12 {
		return "", 0, fmt.Errorf("unescaped \"&\"")
	}
	name := s[1:j]
	switch name {
	case "lt":
		return "<", j + 1, nil
	case "gt":
		return ">", j + 1, nil
	case "amp":
		return "&", j + 1, nil
	case "quot":
		return `"`, j + 1, nil
	}
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if hex, ok := strings.CutPrefix(strings.ToLower(num), "x"); ok {
			num, base = hex, 16
		}
		n, err := strconv.ParseUint(num, base, 32)
		if err == nil && n > 0 && utf8.ValidRune(rune(n)) {
			return string(rune(n)), j + 1, nil
		}
	}
	return "", 0, fmt.Errorf("unsupported entity %q", s[:j+1])
}

// TelegramTextLen counts s in UTF-16 code units, as Telegram's limits do.
func TelegramTextLen(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
