package rules

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// field is one key/value pair of a mapping.
type field struct {
	key   string
	at    position
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
	seen := map[string]position{}
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
