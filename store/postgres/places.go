package postgres

import (
	"strconv"

	"github.com/wirewatch/wirewatch/store"
)

// placeKey is one row of doc_places: a key a RegionFilter can name, and the
// first region of the document under that key.
type placeKey struct {
	key    string
	place  string
	offset int
}

// Key prefixes of doc_places.
const (
	keyPlace   = "p:"
	keyAdmin1  = "a:"
	keyCountry = "c:"
)

// placeKeys returns the keys under which a document with these regions is
// found by Latest, each with the region mentioned first.
func placeKeys(regions []store.DocRegion) []placeKey {
	var out []placeKey
	index := map[string]int{}
	add := func(key string, r store.DocRegion) {
		if i, ok := index[key]; ok {
			if r.Offset < out[i].offset {
				out[i].place, out[i].offset = r.Name, r.Offset
			}
			return
		}
		index[key] = len(out)
		out = append(out, placeKey{key: key, place: r.Name, offset: r.Offset})
	}
	for _, r := range regions {
		add(keyPlace+strconv.FormatInt(r.PlaceID, 10), r)
		if r.Admin1 != "" {
			add(keyAdmin1+r.Admin1, r)
		}
		if r.Country != "" {
			add(keyCountry+r.Country, r)
		}
	}
	return out
}

// filterKeys returns the doc_places keys f names, without repeats.
func filterKeys(f store.RegionFilter) []string {
	var out []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, id := range f.PlaceIDs {
		add(keyPlace + strconv.FormatInt(id, 10))
	}
	for _, a := range f.Admin1 {
		add(keyAdmin1 + a)
	}
	for _, c := range f.Countries {
		add(keyCountry + c)
	}
	return out
}
