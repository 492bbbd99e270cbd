package rules

import "strings"

// position is a 1-based line and column in rules.yaml.
type position struct{ Line, Col int }

// positions remember where each value was written, keyed by its label
// ("rules[0].regions[1]"), and which values failed to decode, so later
// checks point at the file and do not repeat a problem already reported.
type positions struct {
	at     map[string]position
	failed map[string]bool
}

func (p *positions) set(label string, at position) {
	if p.at == nil {
		p.at = map[string]position{}
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
func (p positions) get(label string) (position, bool) {
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
