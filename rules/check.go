package rules

import (
	"fmt"
	"strings"
	"time"
	"unicode"

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
