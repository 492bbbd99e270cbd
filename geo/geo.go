// Package geo is wirewatch's gazetteer: countries, admin1 regions, Afghan
// districts and cities from GeoNames (CC BY 4.0), with press spellings, name
// folding and the place hierarchy (city -> admin1 -> country).
package geo

import (
	"github.com/wirewatch/wirewatch/corpus"
)

// Level is a place's rank in the hierarchy.
type Level uint8

// Levels, from the largest.
const (
	LevelCountry Level = iota + 1
	LevelAdmin1
	LevelAdmin2
	LevelCity
)

// String returns the level's name: "country", "admin1", "admin2", "city".
func (l Level) String() string {
	switch l {
	case LevelCountry:
		return "country"
	case LevelAdmin1:
		return "admin1"
	case LevelAdmin2:
		return "admin2"
	case LevelCity:
		return "city"
	}
	return "unknown"
}

// Place is one entry of the gazetteer.
type Place struct {
	// ID is the GeoNames geonameid (user-defined regions get negative IDs).
	ID   int64
	Name string
	// Level is the place's rank.
	Level Level
	// Country is the ISO 3166 alpha-2 code ("AF").
	Country string
	// Admin1 is the GeoNames admin1 code ("AF.02"), "" for a country.
	Admin1 string
	// Admin2 is the GeoNames admin2 code ("AF.02.1901"), "" above districts.
	Admin2     string
	Population int64
}

// Name is one spelling that denotes one or more places.
type Name struct {
	// Text is the spelling as the gazetteer has it ("Qala-i-Naw").
	Text string
	// Places are the places it may denote, the most likely first.
	Places []int64
	// Common is true when the spelling is also an ordinary word (Of,
	// Mobile, Nice) or a frequent surname: such a mention needs
	// corroboration in the document.
	Common bool
	// Upper is true when the spelling counts only written in capitals
	// (US, U.S., UK): "us" and "Us" are words, not places.
	Upper bool
	// Demonym is true when the spelling is a nationality word (Afghan,
	// French) rather than a place name; it denotes the country.
	Demonym bool
}

// Mention is a Name found in a text by the matcher.
type Mention struct {
	// Name is the index of the Name in Gazetteer.Names().
	Name int
	// Start and End are byte offsets in the text.
	Start, End int
	// Flags are the flags of the mention's first token.
	Flags corpus.TokenFlags
}

// Tag is a place a text names, after disambiguation.
type Tag struct {
	Place      Place
	Start, End int
	// Text is text[Start:End].
	Text string
	// Name is the index in Gazetteer.Names() of the spelling that matched.
	Name int
	// Weight is how central the place is to the text, set by Weigh.
	Weight Weight
	// index is 1 + the place's index in the gazetteer that made the tag,
	// 0 when unknown.
	index int32
}
