package rules

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
)

// maxShingle is the longest shingle the dedup package takes.
const maxShingle = 16

var regionsModes = []string{RegionsMentions, RegionsAbout}

var groupBys = []string{GroupByAdmin1, GroupByCountry, GroupByPlace, GroupByRule}

func (c *checker) rules() {
	seen := map[string]string{}
	for i, r := range c.cfg.Rules {
		label := labelOf("rules", i)
		if c.name(label+".name", "rule", r.Name) {
			c.unique(seen, label+".name", "rule", r.Name)
		}
		c.keywords(label+".keywords", r.Keywords)
		for j, reg := range r.Regions {
			c.regionRef(fmt.Sprintf("%s.regions[%d]", label, j), reg)
		}
		c.channelRefs(label+".channels", r.Channels)
		if r.RegionsMode != "" && !contains(regionsModes, r.RegionsMode) && !c.failed(label+".regions_mode") {
			c.errorf(label+".regions_mode", "unknown regions_mode %q; use mentions or about%s", r.RegionsMode, suggest(r.RegionsMode, regionsModes))
		}
		if r.GroupBy != "" && !contains(groupBys, r.GroupBy) && !c.failed(label+".group_by") {
			c.errorf(label+".group_by", "unknown grouping %q; use admin1, country, place or rule%s", r.GroupBy, suggest(r.GroupBy, groupBys))
		}
		c.positive(label+".group_window", time.Duration(r.GroupWindow), 0)
		c.positive(label+".update_interval", time.Duration(r.UpdateInterval), 0)
	}
}

func (c *checker) keywords(label string, k Keywords) {
	if k.Any == nil && k.All == nil && !c.failed(label) {
		if len(k.None) > 0 {
			c.errorf(label, "only none keywords; add keywords.any or keywords.all to say what the rule looks for")
		} else {
			c.errorf(label, "no keywords; add keywords.any or keywords.all")
		}
	}
	for _, part := range []struct {
		name string
		list []string
	}{{"any", k.Any}, {"all", k.All}, {"none", k.None}} {
		l := label + "." + part.name
		if c.failed(l) {
			continue
		}
		if part.list != nil && len(part.list) == 0 && part.name != "none" {
			c.errorf(l, "empty keyword list; remove it or list keywords")
		}
		for j, kw := range part.list {
			if corpus.Fold(kw) == "" {
				c.errorf(fmt.Sprintf("%s[%d]", l, j), "keyword %q has no letters or digits, so it can never match", kw)
			}
		}
	}
}

// channelRefs checks that every channel named at label is defined.
func (c *checker) channelRefs(label string, names []string) {
	var defined []string
	for _, ch := range c.cfg.Channels {
		defined = append(defined, ch.Name)
	}
	for j, n := range names {
		l := fmt.Sprintf("%s[%d]", label, j)
		if !contains(defined, n) && !c.failed(l) {
			c.errorf(l, "unknown channel %q%s", n, suggest(n, defined))
		}
	}
}

// positive checks a duration written at label: above zero and at least
// minimum.
func (c *checker) positive(label string, d, minimum time.Duration) {
	if !c.written(label) || c.failed(label) {
		return
	}
	switch {
	case d <= 0:
		c.errorf(label, "must be longer than zero")
	case d < minimum:
		c.errorf(label, "%s is too short; use at least %s", Duration(d), Duration(minimum))
	}
}

func (c *checker) digests() {
	seen := map[string]string{}
	var ruleNames []string
	for _, r := range c.cfg.Rules {
		ruleNames = append(ruleNames, r.Name)
	}
	for i, d := range c.cfg.Digests {
		label := labelOf("digests", i)
		if c.name(label+".name", "digest", d.Name) {
			c.unique(seen, label+".name", "digest", d.Name)
		}
		if !c.failed(label + ".at") {
			if d.At == "" {
				c.errorf(label+".at", "digest needs a time: at: \"HH:MM\"")
			} else if _, _, ok := ParseClock(d.At); !ok {
				c.errorf(label+".at", "%q is not a time of day; write \"HH:MM\" (24-hour), e.g. \"08:00\"", d.At)
			}
		}
		c.zone(label+".timezone", d.Timezone)
		c.channelRefs(label+".channels", d.Channels)
		for j, r := range d.Rules {
			l := fmt.Sprintf("%s.rules[%d]", label, j)
			if !contains(ruleNames, r) && !c.failed(l) {
				c.errorf(l, "unknown rule %q%s", r, suggest(r, ruleNames))
			}
		}
		if c.written(label+".max") && !c.failed(label+".max") && d.Max < 1 {
			c.errorf(label+".max", "must be at least 1")
		}
	}
}

// ParseClock reads a 24-hour "HH:MM" (or "H:MM") time of day.
func ParseClock(s string) (hour, minute int, ok bool) {
	h, m, found := strings.Cut(s, ":")
	if !found || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, 0, false
	}
	for _, p := range []struct {
		s   string
		v   *int
		max int
	}{{h, &hour, 23}, {m, &minute, 59}} {
		for _, r := range p.s {
			if r < '0' || r > '9' {
				return 0, 0, false
			}
			*p.v = *p.v*10 + int(r-'0')
		}
		if *p.v > p.max {
			return 0, 0, false
		}
	}
	return hour, minute, true
}

func (c *checker) dedup() {
	d := c.cfg.Dedup
	if c.written("dedup.shingle") && !c.failed("dedup.shingle") && (d.Shingle < 1 || d.Shingle > maxShingle) {
		c.errorf("dedup.shingle", "%d is out of range; use 1 to %d words", d.Shingle, maxShingle)
	}
	if c.written("dedup.containment") && !c.failed("dedup.containment") && !(d.Containment > 0 && d.Containment <= 1) {
		c.errorf("dedup.containment", "%g is out of range; use a share above 0 and at most 1, such as 0.5", d.Containment)
	}
	c.positive("dedup.window", time.Duration(d.Window), time.Hour)
}

func (c *checker) feeds() {
	seen := map[string]string{}
	for i, f := range c.cfg.Feeds {
		label := labelOf("feeds", i)
		if c.name(label+".name", "feed", f.Name) {
			c.unique(seen, label+".name", "feed", f.Name)
		}
		if !c.failed(label + ".url") {
			u, err := url.Parse(f.URL)
			switch {
			case f.URL == "":
				c.errorf(label+".url", "feed needs a url")
			case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
				c.errorf(label+".url", "%q is not an http or https address", f.URL)
			}
		}
		c.positive(label+".interval", time.Duration(f.Interval), time.Minute)
		c.positive(label+".timeout", time.Duration(f.Timeout), time.Second)
		interval := f.Interval
		if interval == 0 {
			interval = DefaultFeedInterval
		}
		if c.written(label+".timeout") && !c.failed(label+".timeout") && f.Timeout > interval {
			c.errorf(label+".timeout", "%s is longer than the feed's interval (%s); a fetch must end before the next one is due", f.Timeout, interval)
		}
	}
}
