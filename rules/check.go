package rules

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
)

// Validate checks a Config: names, references between rules, channels,
// digests and regions, keywords, times and zones, and, when gaz is not
// nil, that every region and alias names a place of the gazetteer. It
// returns an ErrorList with every problem, or nil. Parse and Load call it;
// call it yourself for a Config built in code.
func Validate(cfg *Config, gaz *geo.Gazetteer) error {
	return check(cfg, gaz).err()
}

// checker holds the state of one Validate run.
type checker struct {
	cfg  *Config
	gaz  *geo.Gazetteer
	res  *resolver
	errs ErrorList
}

func check(cfg *Config, gaz *geo.Gazetteer) ErrorList {
	ag, refused := withAliases(cfg, gaz)
	return checkWith(cfg, gaz, ag, refused)
}

// checkWith is check with cfg's aliases already added to gaz: ag, and
// refused the aliases gaz would not take.
func checkWith(cfg *Config, gaz, ag *geo.Gazetteer, refused map[string]error) ErrorList {
	bad := map[string]bool{}
	for a := range refused {
		bad[geo.FoldName(a)] = true
	}
	c := &checker{cfg: cfg, gaz: gaz, res: newResolver(cfg, ag, bad)}
	c.zone("timezone", cfg.Timezone)
	c.channels()
	c.regions()
	c.aliases(refused)
	c.rules()
	c.digests()
	c.dedup()
	c.feeds()
	return c.errs
}

// errorf reports a problem with the value at label, placed where it (or
// the nearest enclosing value) was written.
func (c *checker) errorf(label, format string, args ...any) {
	e := &Error{File: c.cfg.Path, Msg: label + ": " + fmt.Sprintf(format, args...)}
	for l := label; l != ""; l = parentLabel(l) {
		if at, ok := c.cfg.pos.get(l); ok {
			e.Line, e.Col = at.Line, at.Col
			break
		}
	}
	c.errs = append(c.errs, e)
}

// failed reports whether decoding label already failed (and was reported).
func (c *checker) failed(label string) bool { return c.cfg.pos.hasFailed(label) }

// written reports whether label was written in the file.
func (c *checker) written(label string) bool {
	_, ok := c.cfg.pos.get(label)
	return ok
}

// parentLabel strips the last ".field" or "[i]" of a label.
func parentLabel(l string) string {
	i := strings.LastIndexAny(l, ".[")
	if i < 0 {
		return ""
	}
	return l[:i]
}

func (c *checker) zone(label, tz string) {
	if tz == "" || c.failed(label) {
		return
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
		c.errorf(label, "unknown time zone %q; use an IANA name such as \"Asia/Kabul\" or \"UTC\"", tz)
	}
}

// name checks a rule, channel, digest or feed name: present, and usable
// in a chat command.
func (c *checker) name(label, what, name string) bool {
	if c.failed(label) {
		return false
	}
	if name == "" {
		c.errorf(label, "%s needs a name", what)
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_.", r) {
			c.errorf(label, "%s name %q may only hold letters, digits, \"-\", \"_\" and \".\" (it is typed in chat commands)", what, name)
			return false
		}
	}
	return true
}

// unique reports names used twice: seen maps a name to its first label.
func (c *checker) unique(seen map[string]string, label, what, name string) {
	if first, dup := seen[name]; dup {
		line := ""
		if at, ok := c.cfg.pos.get(first); ok {
			line = fmt.Sprintf(" (first at line %d)", at.Line)
		}
		c.errorf(label, "duplicate %s name %q%s", what, name, line)
		return
	}
	seen[name] = label
}

func (c *checker) channels() {
	seen := map[string]string{}
	for _, ch := range c.cfg.Channels {
		label := "channels." + ch.Name
		if c.name(label, "channel", ch.Name) {
			c.unique(seen, label, "channel", ch.Name)
		}
		if c.failed(label) {
			continue
		}
		var dests []string
		if ch.Slack != "" {
			dests = append(dests, "slack")
			if strings.ContainsFunc(ch.Slack, unicode.IsSpace) {
				c.errorf(label+".slack", "Slack channel id %q holds spaces; use the id (C0123456789) from the channel's details", ch.Slack)
			}
		}
		if ch.Telegram != "" {
			dests = append(dests, "telegram")
			if !validTelegramChat(ch.Telegram) {
				c.errorf(label+".telegram", "Telegram chat id %q is neither a number (-1001234567890) nor a @channelname", ch.Telegram)
			}
		}
		if ch.Console {
			dests = append(dests, "console")
		}
		switch {
		case len(dests) == 0:
			c.errorf(label, "no destination; give one of slack: ID, telegram: \"chat id\" or console: true")
		case len(dests) > 1:
			c.errorf(label, "two destinations (%s); a channel sends to one place, so define one channel for each", strings.Join(dests, " and "))
		}
	}
}

// validTelegramChat accepts a numeric chat id or a public @channelname.
func validTelegramChat(s string) bool {
	if strings.HasPrefix(s, "@") {
		if len(s) < 6 {
			return false
		}
		for _, r := range s[1:] {
			if r != '_' && !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
				return false
			}
		}
		return true
	}
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (c *checker) regions() {
	seen := map[string]string{}
	for i, reg := range c.cfg.Regions {
		label := "regions." + reg.Name
		key := geo.FoldName(reg.Name)
		if key == "" {
			c.errorf(label, "region name %q has no letters or digits", reg.Name)
		} else if first, dup := seen[key]; dup {
			c.errorf(label, "region %q is already defined as %q", reg.Name, first)
		} else {
			seen[key] = reg.Name
		}
		if c.failed(label) {
			continue
		}
		if len(reg.Members) == 0 {
			c.errorf(label, "region %q has no members; list places, e.g. [herat, badghis]", reg.Name)
		}
		for j, m := range reg.Members {
			c.regionRef(fmt.Sprintf("%s[%d]", label, j), m)
		}
		if path, mi := c.res.cycle(i); path != nil {
			c.errorf(fmt.Sprintf("%s[%d]", label, mi), "region %q contains itself: %s", reg.Name, strings.Join(path, " -> "))
		}
	}
}

// regionRef checks that a region name used at label resolves.
func (c *checker) regionRef(label, name string) {
	if c.failed(label) {
		return
	}
	if geo.FoldName(name) == "" {
		c.errorf(label, "region %q has no letters or digits", name)
		return
	}
	if c.gaz == nil {
		return // without a gazetteer only user regions can be checked
	}
	if !c.res.known(name) {
		c.errorf(label, "unknown region %q: not a place of the gazetteer, an alias or a region of this file%s", name, c.res.suggestRegion(name))
	}
}

// aliases reports the aliases the gazetteer refused, and those that fold
// to nothing when there is no gazetteer to refuse them.
func (c *checker) aliases(refused map[string]error) {
	for alias, target := range c.cfg.Aliases {
		label := "aliases." + alias
		if c.failed(label) {
			continue
		}
		err, bad := refused[alias]
		switch {
		case geo.FoldName(alias) == "":
			c.errorf(label, "alias %q has no letters or digits", alias)
		case !bad:
		case errors.Is(err, geo.ErrUnknownPlace):
			c.errorf(label, "alias %q names %q, which is not a place of the gazetteer%s", alias, target, c.res.suggestRegion(target))
		default:
			c.errorf(label, "alias %q: %s", alias, err.Error())
		}
	}
}

// maxShingle is the longest shingle the dedup package takes.
const maxShingle = 16

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
	}
}
