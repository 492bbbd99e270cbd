// Package rules loads rules.yaml (keyword and region rules, channels,
// digests) with errors that point at FILE:LINE:COL, and compiles it with the
// gazetteer into one matcher.
package rules

import "time"

// Config is a loaded rules.yaml.
type Config struct {
	// Path is the file it was loaded from.
	Path string `yaml:"-"`
	// Timezone is the IANA zone digests and dates are shown in (default UTC).
	Timezone string `yaml:"timezone"`
	// Channels names the places alerts go, in file order.
	Channels []Channel `yaml:"-"`
	// Regions are user-defined regions: a name and the gazetteer places
	// (or other user regions) it groups, in file order.
	Regions []Region `yaml:"-"`
	// Aliases are extra spellings of gazetteer places: alias -> place name.
	Aliases map[string]string `yaml:"aliases"`
	Rules   []Rule            `yaml:"rules"`
	Digests []Digest          `yaml:"digests"`
	Dedup   Dedup             `yaml:"dedup"`
}

// Channel is a named destination: a Slack channel id, a Telegram chat id,
// or the console.
type Channel struct {
	Name     string
	Slack    string `yaml:"slack"`
	Telegram string `yaml:"telegram"`
	// Console prints alerts on stdout (the default when no token is set).
	Console bool `yaml:"console"`
}

// Region is a user-defined group of places.
type Region struct {
	Name    string
	Members []string
}

// Keywords are a rule's word conditions. A document matches when it has at
// least one Any keyword (when Any is set), every All keyword, and no None
// keyword. Keywords are words or phrases matched whole-word on folded text.
type Keywords struct {
	Any  []string `yaml:"any"`
	All  []string `yaml:"all"`
	None []string `yaml:"none"`
}

// Rule is one alerting rule.
type Rule struct {
	Name     string   `yaml:"name"`
	Keywords Keywords `yaml:"keywords"`
	// Regions restrict the rule to documents naming a place inside any of
	// them (empty: anywhere).
	Regions  []string `yaml:"regions"`
	Channels []string `yaml:"channels"`
	// GroupBy is what makes documents one story: "admin1" (default),
	// "country", "place" or "rule".
	GroupBy string `yaml:"group_by"`
	// GroupWindow is how far apart two documents of a story may be
	// (default 48h).
	GroupWindow Duration `yaml:"group_window"`
	// UpdateInterval batches later documents into one thread reply when
	// they arrive within it of each other (default 10m).
	UpdateInterval Duration `yaml:"update_interval"`
}

// Digest is a scheduled summary.
type Digest struct {
	Name string `yaml:"name"`
	// At is the local time "HH:MM" it is sent.
	At       string   `yaml:"at"`
	Timezone string   `yaml:"timezone"`
	Channels []string `yaml:"channels"`
	Rules    []string `yaml:"rules"`
	// Max caps the number of stories listed (default 20).
	Max int `yaml:"max"`
}

// Dedup tunes near-duplicate detection.
type Dedup struct {
	// Shingle is the shingle size in words (default 5).
	Shingle int `yaml:"shingle"`
	// Containment is the share of the shorter document's shingles that must
	// appear in the longer for a copy (default 0.6).
	Containment float64 `yaml:"containment"`
}

// Duration is a time.Duration written as "48h", "10m" or "2d" in YAML.
type Duration time.Duration
