package rules

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/wirewatch/wirewatch/geo"
)

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
