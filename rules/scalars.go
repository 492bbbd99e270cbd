package rules

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

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
