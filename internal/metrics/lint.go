package metrics

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Exposition is what Lint read: each family's type and help, and each
// sample's value by its full series name ("name{label=\"v\"}").
type Exposition struct {
	Types   map[string]Kind
	Help    map[string]string
	Samples map[string]float64
}

var sampleRE = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$`)

// Lint reads a text exposition and returns it with every way it breaks the
// format's rules as wirewatch keeps them: every family has HELP and TYPE
// lines before its samples, counters are named _total, histogram samples
// are _bucket (with le), _sum and _count, values are numbers, and no
// series appears twice.
func Lint(r io.Reader) (Exposition, []string) {
	e := Exposition{Types: map[string]Kind{}, Help: map[string]string{}, Samples: map[string]float64{}}
	var problems []string
	bad := func(n int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("line %d: ", n)+fmt.Sprintf(format, args...))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			name, help, _ := strings.Cut(rest, " ")
			e.Help[name] = help
			continue
		}
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, typ, _ := strings.Cut(rest, " ")
			if _, ok := e.Help[name]; !ok {
				bad(n, "%s: TYPE without HELP before it", name)
			}
			e.Types[name] = Kind(typ)
			if Kind(typ) == Counter && !strings.HasSuffix(name, "_total") {
				bad(n, "counter %s is not named _total", name)
			}
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := sampleRE.FindStringSubmatch(line)
		if m == nil {
			bad(n, "not a sample: %q", line)
			continue
		}
		name, labels, value := m[1], m[2], m[3]
		family := name
		if _, ok := e.Types[name]; !ok {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if base, ok := strings.CutSuffix(name, suffix); ok && e.Types[base] == Histogram {
					family = base
				}
			}
		}
		kind, ok := e.Types[family]
		switch {
		case !ok:
			bad(n, "%s: sample before its TYPE line", name)
		case kind == Histogram && family == name:
			bad(n, "%s: a histogram sample must be _bucket, _sum or _count", name)
		case kind == Histogram && strings.HasSuffix(name, "_bucket") && !strings.Contains(labels, `le="`):
			bad(n, "%s: bucket without le", name)
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			bad(n, "%s: value %q is not a number", name, value)
		}
		key := name + labels
		if _, dup := e.Samples[key]; dup {
			bad(n, "%s: series written twice", key)
		}
		e.Samples[key] = v
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, err.Error())
	}
	return e, problems
}

// Has reports whether the exposition has a series of the family name (its
// _count for a histogram) whose labels include each of labels, written
// as `a="x"`.
func (e Exposition) Has(name string, labels ...string) bool {
	sample := name
	if e.Types[name] == Histogram {
		sample = name + "_count"
	}
	for key := range e.Samples {
		base, rest, _ := strings.Cut(key, "{")
		if base != sample {
			continue
		}
		all := true
		for _, l := range labels {
			if !strings.Contains(rest, l) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
