// Package rules loads rules.yaml (keyword and region rules, channels,
// digests) with errors that point at FILE:LINE:COL, and compiles it with the
// gazetteer into one matcher.
package rules

import (
	"fmt"
	"time"
)

// Defaults applied by Parse to fields left out of rules.yaml.
const (
	DefaultTimezone       = "UTC"
	DefaultGroupBy        = GroupByAdmin1
	DefaultGroupWindow    = Duration(48 * time.Hour)
	DefaultUpdateInterval = Duration(10 * time.Minute)
	DefaultDigestMax      = 20
	DefaultFeedInterval   = Duration(10 * time.Minute)
	DefaultFeedTimeout    = Duration(30 * time.Second)
)

// Values of Rule.RegionsMode.
const (
	RegionsMentions = "mentions"
	RegionsAbout    = "about"
)

// Values of Rule.GroupBy.
const (
	GroupByAdmin1  = "admin1"
	GroupByCountry = "country"
	GroupByPlace   = "place"
	GroupByRule    = "rule"
)

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
	// Rules are the alerting rules, in file order.
	Rules []Rule `yaml:"rules"`
	// Digests are the scheduled summaries, in file order.
	Digests []Digest `yaml:"digests"`
	// Dedup tunes near-copy detection.
	Dedup Dedup `yaml:"dedup"`
	// Feeds are RSS/Atom sources polled besides the corpus folder.
	Feeds []Feed `yaml:"feeds"`

	// pos records where each value was written, by path ("rules.0.name"),
	// so that checks made after decoding can point at the file.
	pos positions
}

// Channel is a named destination: a Slack channel id, a Telegram chat id,
// or the console.
type Channel struct {
	Name string
	// Slack is a Slack channel id, Telegram a Telegram chat id or
	// @channelname; ${VAR}s are already expanded.
	Slack    string `yaml:"slack"`
	Telegram string `yaml:"telegram"`
	// Console prints alerts on stdout (the default when no token is set).
	Console bool `yaml:"console"`
}

// Transport returns "slack", "telegram" or "console": where the channel
// delivers ("" for a channel with no destination).
func (c Channel) Transport() string {
	switch {
	case c.Slack != "":
		return "slack"
	case c.Telegram != "":
		return "telegram"
	case c.Console:
		return "console"
	}
	return ""
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
	Name string `yaml:"name"`
	// Keywords are the word conditions.
	Keywords Keywords `yaml:"keywords"`
	// Regions restrict the rule to documents naming a place inside any of
	// them (empty: anywhere).
	Regions []string `yaml:"regions"`
	// RegionsMode says how a document must name the regions: "mentions"
	// (default: any place inside them, once is enough) or "about" (a place
	// inside them among the document's main places, weight geo.About or
	// more: named in the headline, the dateline or the lead, or most
	// often).
	RegionsMode string `yaml:"regions_mode"`
	// Channels are the names of the channels its alerts go to.
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
	At string `yaml:"at"`
	// Timezone is the IANA zone of At (default: Config.Timezone).
	Timezone string `yaml:"timezone"`
	// Channels are the channels it is sent to every day.
	Channels []string `yaml:"channels"`
	// Rules are the rules whose stories it lists (empty: every rule).
	Rules []string `yaml:"rules"`
	// Max caps the number of stories listed (default 20).
	Max int `yaml:"max"`
}

// Dedup tunes near-duplicate detection. A zero field was left out of
// rules.yaml and means the dedup package's default.
type Dedup struct {
	// Shingle is the shingle size in words (1 to 16; dedup's default is 5).
	Shingle int `yaml:"shingle"`
	// Containment is the share of the shorter document's shingles that must
	// appear in the longer for a copy (above 0, at most 1; dedup's default
	// is 0.5).
	Containment float64 `yaml:"containment"`
	// Window is how far apart in publication time a copy and its original
	// may be (dedup's default is 7 days; at least 1 hour).
	Window Duration `yaml:"window"`
}

// Feed is an RSS or Atom source.
type Feed struct {
	Name string `yaml:"name"`
	// URL is the feed's http or https address.
	URL string `yaml:"url"`
	// Interval is how often it is polled (default 10m, at least 1m).
	Interval Duration `yaml:"interval"`
	// Timeout bounds one fetch, body included (default 30s, at least 1s,
	// at most Interval).
	Timeout Duration `yaml:"timeout"`
	// PrivateNetwork allows the feed, and its redirects, to be fetched
	// from loopback, private and link-local addresses; without it they are
	// refused when dialled.
	PrivateNetwork bool `yaml:"private_network"`
}

// Channel returns the channel with this name.
func (c *Config) Channel(name string) (Channel, bool) {
	for _, ch := range c.Channels {
		if ch.Name == name {
			return ch, true
		}
	}
	return Channel{}, false
}

// Rule returns the rule with this name.
func (c *Config) Rule(name string) (Rule, bool) {
	for _, r := range c.Rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

// Summary is a one-line account of the configuration, as `bot check`
// prints it: "rules.yaml: 3 rules, 2 channels, 1 region, 1 digest, 0 feeds".
func (c *Config) Summary() string {
	return fmt.Sprintf("%s: %s, %s, %s, %s, %s", c.Path,
		plural(len(c.Rules), "rule"), plural(len(c.Channels), "channel"),
		plural(len(c.Regions), "region"), plural(len(c.Digests), "digest"),
		plural(len(c.Feeds), "feed"))
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// applyDefaults fills the fields rules.yaml left out.
func (c *Config) applyDefaults() {
	if c.Timezone == "" {
		c.Timezone = DefaultTimezone
	}
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.GroupBy == "" {
			r.GroupBy = DefaultGroupBy
		}
		if r.GroupWindow == 0 {
			r.GroupWindow = DefaultGroupWindow
		}
		if r.UpdateInterval == 0 {
			r.UpdateInterval = DefaultUpdateInterval
		}
	}
	for i := range c.Digests {
		d := &c.Digests[i]
		if d.Timezone == "" {
			d.Timezone = c.Timezone
		}
		if d.Max == 0 {
			d.Max = DefaultDigestMax
		}
	}
	for i := range c.Feeds {
		if c.Feeds[i].Interval == 0 {
			c.Feeds[i].Interval = DefaultFeedInterval
		}
		if c.Feeds[i].Timeout == 0 {
			c.Feeds[i].Timeout = min(DefaultFeedTimeout, c.Feeds[i].Interval)
		}
	}
}
