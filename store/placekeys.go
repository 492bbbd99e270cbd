package store

import (
	"strconv"

	"github.com/wirewatch/wirewatch/corpus"
)

// PlaceKey is a key under which a document is found by Latest (a place id,
// an admin1 code or a country, with a prefix), with the region the document
// names first under that key. Both backends index documents by these keys.
type PlaceKey struct {
	Key    string
	Place  string
	Offset int
}

// Key prefixes of doc_places.
const (
	keyPlace   = "p:"
	keyAdmin1  = "a:"
	keyCountry = "c:"
)

// PlaceKeys returns the keys under which a document with these regions is
// found by Latest, each with the region mentioned first.
func PlaceKeys(regions []corpus.DocRegion) []PlaceKey {
	var out []PlaceKey
	index := map[string]int{}
	add := func(key string, r corpus.DocRegion) {
		if i, ok := index[key]; ok {
			if r.Offset < out[i].Offset {
				out[i].Place, out[i].Offset = r.Name, r.Offset
			}
			return
		}
		index[key] = len(out)
		out = append(out, PlaceKey{Key: key, Place: r.Name, Offset: r.Offset})
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

// FilterKeys returns the doc_places keys f names, without repeats.
func FilterKeys(f RegionFilter) []string {
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
