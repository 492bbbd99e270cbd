package corpus

// Analysis is what the rules found in a document: the places it names and
// the rules it matches. The matcher (package rules) produces it, the store
// keeps it, and the engine, the renderers and digests read it.
type Analysis struct {
	Regions []DocRegion
	Matches []DocMatch
}

// DocRegion is a place a document names, rolled up: a city carries its
// admin1 region and country.
type DocRegion struct {
	PlaceID int64  `json:"place_id"`
	Name    string `json:"name"`
	// Level is "country", "admin1", "admin2" or "city".
	Level string `json:"level"`
	// Admin1 is the GeoNames admin1 code ("AF.02"), Admin1Name its name.
	Admin1     string `json:"admin1,omitempty"`
	Admin1Name string `json:"admin1_name,omitempty"`
	// Country is the ISO 3166 alpha-2 code, CountryName its English name
	// ("Afghanistan").
	Country     string `json:"country"`
	CountryName string `json:"country_name,omitempty"`
	// Weight says how central the place is to the document, in (0, 1]:
	// from where the text names it and the places inside it (headline,
	// dateline, lead, how often). Admin1Weight and CountryWeight are its
	// admin1 region's and its country's, 0 when it has none. Regions are
	// kept heaviest first.
	Weight        float64 `json:"weight"`
	Admin1Weight  float64 `json:"admin1_weight,omitempty"`
	CountryWeight float64 `json:"country_weight,omitempty"`
	// Text is the text that named it and Offset where, in Document.Text().
	Text   string `json:"text,omitempty"`
	Offset int    `json:"offset"`
}

// DocMatch is one rule that matched a document, with its evidence.
type DocMatch struct {
	Rule string `json:"rule"`
	// Keywords are the keywords (as written in rules.yaml) found.
	Keywords []string `json:"keywords"`
	// Regions are the rule's regions that matched, with the place found.
	Regions []string `json:"regions"`
	// GroupKey groups the document into a story, e.g. "AF.02".
	GroupKey string `json:"group_key"`
	// GroupName is the group's display name, e.g. "Badghis, Afghanistan".
	GroupName string `json:"group_name,omitempty"`
	// Evidence is a short human account of the match for /why.
	Evidence string `json:"evidence,omitempty"`
}
