package store

import "github.com/wirewatch/wirewatch/corpus"

// DocPaths returns the paths a backend stores for d: first d.Path, then
// d.Paths, without blanks or repeats. clean, when set, rewrites each path
// first (a backend whose text type refuses some bytes).
func DocPaths(d corpus.Document, clean func(string) string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range append([]string{d.Path}, d.Paths...) {
		if clean != nil {
			p = clean(p)
		}
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
