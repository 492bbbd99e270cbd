package rules

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// The fields each mapping of rules.yaml may hold.
var (
	topFields      = []string{"timezone", "channels", "regions", "aliases", "rules", "digests", "dedup", "feeds"}
	channelFields  = []string{"slack", "telegram", "console"}
	ruleFields     = []string{"name", "keywords", "regions", "channels", "regions_mode", "group_by", "group_window", "update_interval"}
	keywordsFields = []string{"any", "all", "none"}
	digestFields   = []string{"name", "at", "timezone", "channels", "rules", "max"}
	dedupFields    = []string{"shingle", "containment", "window"}
	feedFields     = []string{"name", "url", "interval", "timeout", "private_network"}
)

// config decodes the document's root mapping.
func (d *decoder) config(root ast.Node) *Config {
	cfg := &Config{}
	if root == nil {
		return cfg
	}
	d.object(root, "", topFields, func(f field, label string) {
		switch f.key {
		case "timezone":
			cfg.Timezone, _ = d.str(f.value, label)
		case "channels":
			cfg.Channels = d.channels(f.value, label)
		case "regions":
			cfg.Regions = d.regions(f.value, label)
		case "aliases":
			cfg.Aliases = d.aliases(f.value, label)
		case "rules":
			cfg.Rules = []Rule{}
			d.list(f.value, label, func(item ast.Node, l string) {
				cfg.Rules = append(cfg.Rules, d.rule(item, l))
			})
		case "digests":
			cfg.Digests = []Digest{}
			d.list(f.value, label, func(item ast.Node, l string) {
				cfg.Digests = append(cfg.Digests, d.digest(item, l))
			})
		case "dedup":
			cfg.Dedup = d.dedup(f.value, label)
		case "feeds":
			cfg.Feeds = []Feed{}
			d.list(f.value, label, func(item ast.Node, l string) {
				cfg.Feeds = append(cfg.Feeds, d.feed(item, l))
			})
		}
	})
	return cfg
}

// channels decodes the name -> destination mapping, in file order.
func (d *decoder) channels(n ast.Node, label string) []Channel {
	fs, _ := d.entries(n, label, "channel")
	out := make([]Channel, 0, len(fs))
	for _, f := range fs {
		l := joinLabel(label, f.key)
		d.pos.set(l, f.at)
		ch := Channel{Name: f.key}
		d.object(f.value, l, channelFields, func(f field, l string) {
			switch f.key {
			case "slack":
				ch.Slack = d.destination(f.value, l)
			case "telegram":
				ch.Telegram = d.destination(f.value, l)
			case "console":
				ch.Console, _ = d.boolean(f.value, l)
			}
		})
		out = append(out, ch)
	}
	return out
}

// destination decodes a channel id, expanding ${VAR} from the environment.
func (d *decoder) destination(n ast.Node, label string) string {
	s, ok := d.str(n, label)
	if !ok {
		return ""
	}
	v, err := expandEnv(s, d.env)
	if err != nil {
		d.failf(label, posOf(n), "%s", err.Error())
		return ""
	}
	return v
}

// regions decodes the name -> members mapping, in file order.
func (d *decoder) regions(n ast.Node, label string) []Region {
	fs, _ := d.entries(n, label, "region")
	out := make([]Region, 0, len(fs))
	for _, f := range fs {
		l := joinLabel(label, f.key)
		d.pos.set(l, f.at)
		out = append(out, Region{Name: f.key, Members: d.strings(f.value, l)})
	}
	return out
}

// aliases decodes the alias -> place mapping.
func (d *decoder) aliases(n ast.Node, label string) map[string]string {
	fs, _ := d.entries(n, label, "alias")
	out := make(map[string]string, len(fs))
	for _, f := range fs {
		l := joinLabel(label, f.key)
		if s, ok := d.str(f.value, l); ok {
			out[f.key] = s
		}
		d.pos.set(l, f.at)
	}
	return out
}

func (d *decoder) rule(n ast.Node, label string) Rule {
	var r Rule
	d.object(n, label, ruleFields, func(f field, l string) {
		switch f.key {
		case "name":
			r.Name, _ = d.str(f.value, l)
		case "keywords":
			r.Keywords = d.keywords(f.value, l)
		case "regions":
			r.Regions = d.strings(f.value, l)
		case "channels":
			r.Channels = d.strings(f.value, l)
		case "regions_mode":
			r.RegionsMode, _ = d.str(f.value, l)
		case "group_by":
			r.GroupBy, _ = d.str(f.value, l)
		case "group_window":
			r.GroupWindow, _ = d.duration(f.value, l)
		case "update_interval":
			r.UpdateInterval, _ = d.duration(f.value, l)
		}
	})
	return r
}

// keywords decodes {any, all, none}; a plain list is short for {any: list}.
func (d *decoder) keywords(n ast.Node, label string) Keywords {
	var k Keywords
	if _, ok := d.resolve(n).(*ast.SequenceNode); ok {
		l := label + ".any"
		d.pos.set(l, posOf(n))
		k.Any = d.strings(n, l)
		return k
	}
	switch v := d.resolve(n).(type) {
	case *ast.NullNode:
		return k
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		d.wrongType(label, n, v, "{any: [...], all: [...], none: [...]} or a list of keywords")
		return k
	}
	d.object(n, label, keywordsFields, func(f field, l string) {
		switch f.key {
		case "any":
			k.Any = d.strings(f.value, l)
		case "all":
			k.All = d.strings(f.value, l)
		case "none":
			k.None = d.strings(f.value, l)
		}
	})
	return k
}

func (d *decoder) digest(n ast.Node, label string) Digest {
	var g Digest
	d.object(n, label, digestFields, func(f field, l string) {
		switch f.key {
		case "name":
			g.Name, _ = d.str(f.value, l)
		case "at":
			g.At = d.clock(f.value, l)
		case "timezone":
			g.Timezone, _ = d.str(f.value, l)
		case "channels":
			g.Channels = d.strings(f.value, l)
		case "rules":
			g.Rules = d.strings(f.value, l)
		case "max":
			g.Max, _ = d.integer(f.value, l)
		}
	})
	return g
}

// clock decodes "HH:MM". An unquoted 8:00 is read by some YAML parsers as
// a number of minutes; whatever the parser made of it, the text as written
// is kept.
func (d *decoder) clock(n ast.Node, label string) string {
	if v, ok := d.resolve(n).(*ast.IntegerNode); ok {
		d.failf(label, posOf(n), "%s is not a time of day; write \"HH:MM\" in quotes, e.g. \"08:00\"", v.GetToken().Value)
		return ""
	}
	s, _ := d.str(n, label)
	return s
}

func (d *decoder) dedup(n ast.Node, label string) Dedup {
	var x Dedup
	d.object(n, label, dedupFields, func(f field, l string) {
		switch f.key {
		case "shingle":
			x.Shingle, _ = d.integer(f.value, l)
		case "containment":
			x.Containment, _ = d.number(f.value, l)
		case "window":
			x.Window, _ = d.duration(f.value, l)
		}
	})
	return x
}

func (d *decoder) feed(n ast.Node, label string) Feed {
	var x Feed
	d.object(n, label, feedFields, func(f field, l string) {
		switch f.key {
		case "name":
			x.Name, _ = d.str(f.value, l)
		case "url":
			if s, ok := d.str(f.value, l); ok {
				v, err := expandEnv(s, d.env)
				if err != nil {
					d.failf(l, posOf(f.value), "%s", err.Error())
				}
				x.URL = v
			}
		case "interval":
			x.Interval, _ = d.duration(f.value, l)
		case "timeout":
			x.Timeout, _ = d.duration(f.value, l)
		case "private_network":
			x.PrivateNetwork, _ = d.boolean(f.value, l)
		}
	})
	return x
}

// labelOf names a list item for messages: `rules[2]`.
func labelOf(section string, i int) string { return fmt.Sprintf("%s[%d]", section, i) }
