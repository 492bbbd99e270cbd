package rules

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Pos is a 1-based line and column in rules.yaml.
type Pos struct{ Line, Col int }

// positions remember where each value was written, keyed by its label
// ("rules[0].regions[1]"), and which values failed to decode, so later
// checks point at the file and do not repeat a problem already reported.
type positions struct {
	at     map[string]Pos
	failed map[string]bool
}

func (p *positions) set(label string, at Pos) {
	if p.at == nil {
		p.at = map[string]Pos{}
	}
	p.at[label] = at
}

func (p *positions) fail(label string) {
	if p.failed == nil {
		p.failed = map[string]bool{}
	}
	p.failed[label] = true
}

// get returns where label was written; ok is false when it was not.
func (p positions) get(label string) (Pos, bool) {
	at, ok := p.at[label]
	return at, ok
}

// hasFailed reports whether label, a value under it or one of the values
// that hold it failed to decode.
func (p positions) hasFailed(label string) bool {
	if len(p.failed) == 0 {
		return false
	}
	for l := label; l != ""; l = parentLabel(l) {
		if p.failed[l] {
			return true
		}
	}
	for l := range p.failed {
		if strings.HasPrefix(l, label) && len(l) > len(label) && (l[len(label)] == '.' || l[len(label)] == '[') {
			return true
		}
	}
	return false
}

// maxMergeDepth bounds nested YAML merge keys (<<), which could otherwise
// refer to themselves through aliases, and maxMerges the mappings they may
// bring in over a whole file, which could otherwise grow exponentially
// with a few lines of aliases of aliases.
const (
	maxMergeDepth = 8
	maxMerges     = 10000
)

// decoder turns goccy's AST into a Config, collecting every error it meets
// instead of stopping at the first.
type decoder struct {
	file    string
	errs    ErrorList
	pos     positions
	anchors map[string]ast.Node
	env     func(string) (string, bool)
	merges  int // mappings brought in by merge keys so far
}

func (d *decoder) errorf(at Pos, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf(format, args...)})
}

// failf reports a problem with the value at label and marks it failed.
func (d *decoder) failf(label string, at Pos, format string, args ...any) {
	d.pos.fail(label)
	if label == "" {
		label = "top level"
	}
	d.errorf(at, "%s: %s", label, fmt.Sprintf(format, args...))
}

// posOf returns where n starts in the file.
func posOf(n ast.Node) Pos {
	switch v := n.(type) {
	case *ast.MappingNode:
		if len(v.Values) > 0 && !v.IsFlowStyle {
			return posOf(v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return posOf(v.Key)
	}
	if n == nil {
		return Pos{}
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Pos{}
	}
	return Pos{tk.Position.Line, tk.Position.Column}
}

// resolve unwraps anchors, aliases and tags to the node that holds the
// value.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for i := 0; i < maxMergeDepth && n != nil; i++ {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			name := ""
			if v.Value != nil {
				name = v.Value.GetToken().Value
			}
			target, ok := d.anchors[name]
			if !ok {
				return nil
			}
			n = target
		default:
			return n
		}
	}
	return n
}

// collectAnchors records every &anchor of the document so aliases resolve
// wherever they appear, and reports aliases with no anchor before them.
func (d *decoder) collectAnchors(root ast.Node) {
	d.anchors = map[string]ast.Node{}
	ast.Walk(anchorVisitor{d}, root)
}

type anchorVisitor struct{ d *decoder }

func (v anchorVisitor) Visit(n ast.Node) ast.Visitor {
	switch a := n.(type) {
	case *ast.AnchorNode:
		if a.Name != nil {
			v.d.anchors[a.Name.GetToken().Value] = a.Value
		}
	case *ast.AliasNode:
		if a.Value != nil {
			name := a.Value.GetToken().Value
			if _, ok := v.d.anchors[name]; !ok {
				v.d.errorf(posOf(a), "alias *%s has no anchor &%s before it", name, name)
			}
		}
	}
	return v
}

// wrongType reports that the value at label is not what it should be,
// unless it is an alias without anchor, which is reported already.
func (d *decoder) wrongType(label string, raw, n ast.Node, want string) {
	if n == nil {
		d.pos.fail(label)
		return
	}
	d.failf(label, posOf(raw), "expected %s, got %s", want, kind(n))
}

// kind names the YAML type of n for error messages.
func kind(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return "nothing"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "true/false"
	}
	return "a string"
}

// field is one key/value pair of a mapping.
type field struct {
	key   string
	at    Pos
	value ast.Node
}

// entries returns the pairs of the mapping n in file order, with YAML merge
// keys (<<) expanded, and reports keys written twice. ok is false when n is
// not a mapping; nothing (null) is an empty mapping.
// noun names the keys in messages: "channel" for the channels mapping,
// "field" for a mapping of fields.
func (d *decoder) entries(n ast.Node, label, noun string) ([]field, bool) {
	return d.entriesDepth(n, label, noun, 0)
}

func (d *decoder) entriesDepth(raw ast.Node, label, noun string, depth int) ([]field, bool) {
	n := d.resolve(raw)
	var pairs []*ast.MappingValueNode
	switch v := n.(type) {
	case *ast.MappingNode:
		pairs = v.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{v}
	case *ast.NullNode:
		return nil, true
	default:
		d.wrongType(label, raw, n, "a mapping")
		return nil, false
	}
	var own, merged []field
	seen := map[string]Pos{}
	for _, mv := range pairs {
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			if depth >= maxMergeDepth || d.merges >= maxMerges {
				if d.merges < maxMerges+1 {
					d.merges = maxMerges + 1 // report once
					d.failf(label, posOf(mv.Key), "merge keys (<<) nested too deeply or too many; merge plain mappings")
				}
				continue
			}
			d.merges++
			merged = append(merged, d.mergeEntries(mv.Value, label, noun, depth+1)...)
			continue
		}
		key, ok := scalarText(d.resolve(mv.Key))
		if !ok {
			d.failf(label, posOf(mv.Key), "a key must be a plain string, not %s", kind(d.resolve(mv.Key)))
			continue
		}
		at := posOf(mv.Key)
		if first, dup := seen[key]; dup {
			d.pos.fail(joinLabel(label, key))
			where := label
			if where == "" {
				where = "top level"
			}
			d.errorf(at, "%s: %s %q written twice (first at line %d)", where, noun, key, first.Line)
			continue
		}
		seen[key] = at
		own = append(own, field{key: key, at: at, value: mv.Value})
	}
	for _, f := range merged {
		if _, dup := seen[f.key]; !dup {
			seen[f.key] = f.at
			own = append(own, f)
		}
	}
	return own, true
}

// mergeEntries returns the pairs a merge key brings in: one mapping or a
// list of them.
func (d *decoder) mergeEntries(raw ast.Node, label, noun string, depth int) []field {
	if seq, ok := d.resolve(raw).(*ast.SequenceNode); ok {
		var out []field
		for _, item := range seq.Values {
			fs, _ := d.entriesDepth(item, label, noun, depth)
			out = append(out, fs...)
		}
		return out
	}
	fs, _ := d.entriesDepth(raw, label, noun, depth)
	return fs
}

func joinLabel(label, key string) string {
	if label == "" {
		return key
	}
	return label + "." + key
}

// object decodes a mapping with a fixed set of fields: fn is called for
// each known field in file order; unknown fields are reported with the
// closest known name.
func (d *decoder) object(n ast.Node, label string, known []string, fn func(f field, label string)) bool {
	fs, ok := d.entries(n, label, "field")
	if !ok {
		return false
	}
	for _, f := range fs {
		if label == "" && strings.HasPrefix(f.key, "x-") {
			continue // an extension field, for YAML anchors
		}
		if !contains(known, f.key) {
			what := "unknown field"
			if label != "" {
				what = label + ": unknown field"
			}
			d.pos.fail(joinLabel(label, f.key))
			best := closest(f.key, known)
			if best != "" {
				// The field is most likely there, misspelt: do not also
				// report it missing.
				d.pos.fail(joinLabel(label, best))
			}
			d.errorf(f.at, "%s %q%s", what, f.key, suggest(f.key, known))
			continue
		}
		l := joinLabel(label, f.key)
		d.pos.set(l, posOf(f.value))
		fn(f, l)
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scalarText returns the text of a scalar node: a string as read, a number
// or boolean as written.
func scalarText(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	}
	return "", false
}

// str decodes a scalar as a string. Nothing (null) is an error.
func (d *decoder) str(raw ast.Node, label string) (string, bool) {
	n := d.resolve(raw)
	s, ok := scalarText(n)
	if !ok {
		d.wrongType(label, raw, n, "a string")
		return "", false
	}
	d.pos.set(label, posOf(raw))
	return s, true
}

// list decodes a sequence, calling fn with each item and its label.
// Nothing (null) is an empty list: the result is non-nil.
func (d *decoder) list(raw ast.Node, label string, fn func(item ast.Node, label string)) bool {
	n := d.resolve(raw)
	switch v := n.(type) {
	case *ast.NullNode:
		return true
	case *ast.SequenceNode:
		for i, item := range v.Values {
			l := fmt.Sprintf("%s[%d]", label, i)
			d.pos.set(l, posOf(item))
			fn(item, l)
		}
		return true
	}
	if n == nil {
		d.pos.fail(label)
		return false
	}
	d.failf(label, posOf(raw), "expected a list, got %s; write [a, b] or one \"- item\" per line", kind(n))
	return false
}

// strings decodes a list of strings; it returns a non-nil slice when the
// list was written, even empty.
func (d *decoder) strings(raw ast.Node, label string) []string {
	out := []string{}
	d.list(raw, label, func(item ast.Node, l string) {
		if s, ok := d.str(item, l); ok {
			out = append(out, s)
		}
	})
	return out
}

// integer decodes a whole number.
func (d *decoder) integer(raw ast.Node, label string) (int, bool) {
	n := d.resolve(raw)
	v, ok := n.(*ast.IntegerNode)
	if !ok {
		d.wrongType(label, raw, n, "a whole number")
		return 0, false
	}
	var i int
	switch x := v.Value.(type) {
	case int64:
		i = int(x)
	case uint64:
		if x > 1<<31 {
			d.failf(label, posOf(raw), "number %s is too large", v.GetToken().Value)
			return 0, false
		}
		i = int(x)
	default:
		d.failf(label, posOf(raw), "expected a whole number, got %s", v.GetToken().Value)
		return 0, false
	}
	return i, true
}

// number decodes an integer or decimal number.
func (d *decoder) number(raw ast.Node, label string) (float64, bool) {
	switch v := d.resolve(raw).(type) {
	case *ast.FloatNode:
		return v.Value, true
	case *ast.IntegerNode:
		switch x := v.Value.(type) {
		case int64:
			return float64(x), true
		case uint64:
			return float64(x), true
		}
	}
	d.wrongType(label, raw, d.resolve(raw), "a number")
	return 0, false
}

// boolean decodes true or false.
func (d *decoder) boolean(raw ast.Node, label string) (bool, bool) {
	v, ok := d.resolve(raw).(*ast.BoolNode)
	if !ok {
		d.wrongType(label, raw, d.resolve(raw), "true or false")
		return false, false
	}
	return v.Value, true
}

// duration decodes a duration such as "48h", "90m" or "2d".
func (d *decoder) duration(raw ast.Node, label string) (Duration, bool) {
	s, ok := d.str(raw, label)
	if !ok {
		return 0, false
	}
	v, err := ParseDuration(s)
	if err != nil {
		d.failf(label, posOf(raw), "%q is not a duration; write e.g. 90m, 48h or 2d", s)
		return 0, false
	}
	return v, true
}
