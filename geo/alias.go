package geo

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ErrUnknownPlace is wrapped by errors about a place name the gazetteer
// does not know.
var ErrUnknownPlace = errors.New("unknown place")

// AliasError is an alias WithAliases could not add.
type AliasError struct {
	Alias, Place string
	Err          error
}

// Error names the alias, its place and what is wrong.
func (e *AliasError) Error() string {
	return fmt.Sprintf("alias %q: place %q: %v", e.Alias, e.Place, e.Err)
}

// Unwrap returns the cause, ErrUnknownPlace for a place the gazetteer does
// not know.
func (e *AliasError) Unwrap() error { return e.Err }

// WithAliases returns a copy of g that also knows the given spellings:
// alias -> place, where the place is any name Lookup knows ("Qala-i-Naw"),
// taken as Resolve would take it (its most likely place), or, to choose
// among places of one name, "name, region" ("Victoria, Canada"): the most
// likely place of that name inside the region. An alias is the first choice
// for its spelling, in Resolve and in Lookup, and never Common: the user
// asked for it.
// Unknown places are reported all at once, as *AliasError values wrapping
// ErrUnknownPlace, joined; g itself never changes.
func (g *Gazetteer) WithAliases(aliases map[string]string) (*Gazetteer, error) {
	if len(aliases) == 0 {
		return g, nil
	}
	names := slices.Clone(g.names)
	keys := slices.Clone(g.keys)
	at := make(map[string]int, len(aliases))
	var errs []error
	for _, alias := range slices.Sorted(maps.Keys(aliases)) {
		target := aliases[alias]
		key := FoldName(alias)
		if key == "" {
			errs = append(errs, &AliasError{Alias: alias, Place: target, Err: errors.New("the alias has no letters or digits")})
			continue
		}
		p, ok := g.resolveTarget(target)
		if !ok {
			errs = append(errs, &AliasError{Alias: alias, Place: target, Err: ErrUnknownPlace})
			continue
		}
		i, ok := at[key]
		if !ok {
			if first, known := g.byKey[key]; known {
				i = int(first)
			} else {
				i = len(names)
				names = append(names, Name{Text: alias})
				keys = append(keys, key)
			}
			at[key] = i
		}
		n := names[i]
		n.Places = append([]int64{p.ID}, slices.DeleteFunc(slices.Clone(n.Places), func(id int64) bool { return id == p.ID })...)
		n.Common = false
		names[i] = n
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("geo: %w", errors.Join(errs...))
	}
	out := build(g.places, names, keys)
	out.pinned = make(map[string]int64, len(at)+len(g.pinned))
	maps.Copy(out.pinned, g.pinned)
	for key, i := range at {
		out.pinned[key] = names[i].Places[0]
	}
	return out, nil
}

// resolveTarget finds the place an alias points at: "name" or "name,
// region".
func (g *Gazetteer) resolveTarget(target string) (Place, bool) {
	if ps := g.likely(FoldName(target)); len(ps) > 0 {
		return ps[0], true
	}
	name, region, ok := cutLast(target, ",")
	if !ok {
		return Place{}, false
	}
	regions := g.Lookup(region)
	for _, p := range g.likely(FoldName(name)) {
		for _, r := range regions {
			if p.ID != r.ID && g.Within(p, r) {
				return p, true
			}
		}
	}
	return Place{}, false
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
