package rules

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/wirewatch/wirewatch/geo"
)

// resolver turns the region names of rules.yaml into gazetteer places: a
// user region (its members, expanded), then a place name of the gazetteer
// with the Config's aliases added. Names compare folded, so "Badghis",
// "badghis" and "BADGHIS" are one.
type resolver struct {
	cfg  *Config
	gaz  *geo.Gazetteer  // with the aliases; nil: no gazetteer
	user map[string]int  // folded user region name -> index in cfg.Regions
	bad  map[string]bool // folded aliases the gazetteer refused
}

// newResolver resolves against gaz, which should already hold cfg's
// aliases (see withAliases); aliases in bad count as known, so that a
// refused alias is reported once, where it is defined.
func newResolver(cfg *Config, gaz *geo.Gazetteer, bad map[string]bool) *resolver {
	r := &resolver{cfg: cfg, gaz: gaz, user: map[string]int{}, bad: bad}
	for i, reg := range cfg.Regions {
		if k := geo.FoldName(reg.Name); k != "" {
			if _, dup := r.user[k]; !dup {
				r.user[k] = i
			}
		}
	}
	return r
}

// aliased keeps the gazetteer withAliases made last: loading rules.yaml
// checks it, compiling the matcher uses it and the bot looks places up in
// it, and each copy of the whole gazetteer costs tens of megabytes and a
// fifth of a second. Gazetteers are never changed once built, so one copy
// serves them all.
var aliased struct {
	sync.Mutex
	gaz     *geo.Gazetteer
	aliases map[string]string
	ag      *geo.Gazetteer
	bad     map[string]error
}

// withAliases returns gaz with cfg's aliases added, and one error per
// alias the gazetteer refused (those are left out).
func withAliases(cfg *Config, gaz *geo.Gazetteer) (*geo.Gazetteer, map[string]error) {
	if gaz == nil || len(cfg.Aliases) == 0 {
		return gaz, nil
	}
	aliased.Lock()
	defer aliased.Unlock()
	if aliased.gaz == gaz && maps.Equal(aliased.aliases, cfg.Aliases) {
		return aliased.ag, aliased.bad
	}
	ag, bad := addAliases(cfg, gaz)
	aliased.gaz, aliased.aliases, aliased.ag, aliased.bad = gaz, maps.Clone(cfg.Aliases), ag, bad
	return ag, bad
}

// addAliases is withAliases without the copy kept.
func addAliases(cfg *Config, gaz *geo.Gazetteer) (*geo.Gazetteer, map[string]error) {
	if ag, err := gaz.WithAliases(cfg.Aliases); err == nil {
		return ag, nil
	}
	// Find the aliases at fault, and keep the others.
	bad := map[string]error{}
	good := map[string]string{}
	for alias, target := range cfg.Aliases {
		if _, err := gaz.WithAliases(map[string]string{alias: target}); err != nil {
			var ae *geo.AliasError
			if errors.As(err, &ae) {
				err = ae.Err
			}
			bad[alias] = err
			continue
		}
		good[alias] = target
	}
	ag, err := gaz.WithAliases(good)
	if err != nil {
		return gaz, bad
	}
	return ag, bad
}

// userRegion returns the index of the user region called name.
func (r *resolver) userRegion(name string) (int, bool) {
	i, ok := r.user[geo.FoldName(name)]
	return i, ok
}

// place returns the gazetteer place a name denotes: the first place Lookup
// gives (a country, then an admin1 region, a district, a city), or for
// "name, region" the first place of that name inside the region.
func (r *resolver) place(name string) (geo.Place, bool) {
	if r.gaz == nil {
		return geo.Place{}, false
	}
	if ps := r.gaz.Lookup(name); len(ps) > 0 {
		return ps[0], true
	}
	i := strings.LastIndexByte(name, ',')
	if i < 0 {
		return geo.Place{}, false
	}
	regions := r.gaz.Lookup(name[i+1:])
	for _, p := range r.gaz.Lookup(name[:i]) {
		for _, reg := range regions {
			if p.ID != reg.ID && r.gaz.Within(p, reg) {
				return p, true
			}
		}
	}
	return geo.Place{}, false
}

// known reports whether name can be resolved without expanding it.
func (r *resolver) known(name string) bool {
	if _, ok := r.userRegion(name); ok || r.bad[geo.FoldName(name)] {
		return true
	}
	_, ok := r.place(name)
	return ok
}

// expand returns the places name stands for, each once, in the order the
// members list them. Cycles and unknown names contribute nothing (check
// reports them).
func (r *resolver) expand(name string) []geo.Place {
	var out []geo.Place
	seen := map[int64]bool{}
	visiting := map[int]bool{}
	var walk func(string)
	walk = func(n string) {
		if i, ok := r.userRegion(n); ok {
			if visiting[i] {
				return
			}
			visiting[i] = true
			for _, m := range r.cfg.Regions[i].Members {
				walk(m)
			}
			return
		}
		if p, ok := r.place(n); ok && !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	walk(name)
	return out
}

// cycle returns the path by which user region i contains itself
// ("a", "b", "a") and the index of i's member that starts it, or nil. Only
// the first region of a cycle in file order reports it, so each cycle is
// reported once.
func (r *resolver) cycle(i int) ([]string, int) {
	seen := map[int]bool{i: true}
	var path []int
	var visit func(j int) bool
	visit = func(j int) bool {
		path = append(path, j)
		for _, m := range r.cfg.Regions[j].Members {
			k, ok := r.userRegion(m)
			if !ok {
				continue
			}
			if k == i {
				path = append(path, i)
				return true
			}
			if !seen[k] {
				seen[k] = true
				if visit(k) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	for mi, m := range r.cfg.Regions[i].Members {
		k, ok := r.userRegion(m)
		if !ok {
			continue
		}
		path = []int{i}
		if k == i {
			path = append(path, i)
		} else if seen[k] || !visit(k) {
			continue
		}
		names := make([]string, len(path))
		for pi, j := range path {
			if j < i {
				return nil, 0
			}
			names[pi] = r.cfg.Regions[j].Name
		}
		return names, mi
	}
	return nil, 0
}

// suggestRegion proposes a close user region, alias or gazetteer name.
func (r *resolver) suggestRegion(name string) string {
	cands := make([]string, 0, len(r.cfg.Regions)+len(r.cfg.Aliases))
	for _, reg := range r.cfg.Regions {
		cands = append(cands, reg.Name)
	}
	for a := range r.cfg.Aliases {
		cands = append(cands, a)
	}
	slices.Sort(cands[len(r.cfg.Regions):])
	if s := suggest(name, cands); s != "" {
		return s
	}
	if r.gaz == nil || name == "" {
		return ""
	}
	low := strings.ToLower(name)
	var near []string
	for _, n := range r.gaz.Names() {
		if len(n.Text) > 0 && len(n.Text)-len(low) <= 2 && len(low)-len(n.Text) <= 2 &&
			strings.ToLower(n.Text[:1]) == low[:1] {
			near = append(near, n.Text)
		}
	}
	return suggest(name, near)
}
