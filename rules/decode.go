package rules

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

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

func (d *decoder) errorf(at position, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf(format, args...)})
}

// failf reports a problem with the value at label and marks it failed.
func (d *decoder) failf(label string, at position, format string, args ...any) {
	d.pos.fail(label)
	if label == "" {
		label = "top level"
	}
	d.errorf(at, "%s: %s", label, fmt.Sprintf(format, args...))
}

// posOf returns where n starts in the file.
func posOf(n ast.Node) position {
	switch v := n.(type) {
	case *ast.MappingNode:
		if len(v.Values) > 0 && !v.IsFlowStyle {
			return posOf(v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return posOf(v.Key)
	}
	if n == nil {
		return position{}
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return position{}
	}
	return position{tk.Position.Line, tk.Position.Column}
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

// Visit records anchors and checks aliases, in document order.
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
