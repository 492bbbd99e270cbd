// Package metrics is a small Prometheus registry: counters, gauges and
// histograms, with or without labels, each declared once with its help
// text, and served in the Prometheus text exposition format (version
// 0.0.4). A series without labels exists from its declaration; a labelled
// series from the first With of its label values, so callers declare the
// label values they know at start (With, or Preset) and every series is
// present, at zero, before its first event.
package metrics

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Kind is a metric type as the exposition format names it.
type Kind string

// Kinds of metric.
const (
	Counter   Kind = "counter"
	Gauge     Kind = "gauge"
	Histogram Kind = "histogram"
)

// Registry holds metric families in declaration order. Its methods are safe
// for concurrent use.
type Registry struct {
	mu       sync.Mutex
	families []*family
	byName   map[string]*family
}

// New returns an empty registry.
func New() *Registry { return &Registry{byName: map[string]*family{}} }

var nameRE = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
var labelRE = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// family is one metric name: its help, type, label names and series.
type family struct {
	name, help string
	kind       Kind
	labels     []string
	buckets    []float64 // histograms
	mu         sync.Mutex
	series     map[string]*series // joined label values -> series
	collect    func(emit func(v float64, labelValues ...string))
}

// series is one combination of label values.
type series struct {
	values []string
	v      float64  // counter or gauge value; histogram sum
	counts []uint64 // histogram: per bucket (not cumulative)
	n      uint64   // histogram: count
}

// declare adds a family, panicking on a name or label that the format does
// not allow, or a name declared twice: both are programming errors that
// every test run catches.
func (r *Registry) declare(f *family) *family {
	if !nameRE.MatchString(f.name) || strings.TrimSpace(f.help) == "" {
		panic(fmt.Sprintf("metrics: bad name %q or empty help", f.name))
	}
	for _, l := range f.labels {
		if !labelRE.MatchString(l) || strings.HasPrefix(l, "__") || l == "le" && f.kind == Histogram {
			panic(fmt.Sprintf("metrics: %s: bad label name %q", f.name, l))
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.byName[f.name]; dup {
		panic("metrics: " + f.name + " declared twice")
	}
	f.series = map[string]*series{}
	r.byName[f.name] = f
	r.families = append(r.families, f)
	if len(f.labels) == 0 && f.collect == nil {
		f.get(nil)
	}
	return f
}

// get returns the series of the label values, creating it at zero.
func (f *family) get(values []string) *series {
	if len(values) != len(f.labels) {
		panic(fmt.Sprintf("metrics: %s takes %d label values, got %d", f.name, len(f.labels), len(values)))
	}
	key := strings.Join(values, "\xff")
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.series[key]
	if !ok {
		s = &series{values: slices.Clone(values)}
		if f.kind == Histogram {
			s.counts = make([]uint64, len(f.buckets))
		}
		f.series[key] = s
	}
	return s
}

func (f *family) add(values []string, v float64) {
	s := f.get(values)
	f.mu.Lock()
	s.v += v
	f.mu.Unlock()
}

func (f *family) set(values []string, v float64) {
	s := f.get(values)
	f.mu.Lock()
	s.v = v
	f.mu.Unlock()
}

func (f *family) observe(values []string, v float64) {
	s := f.get(values)
	i, _ := slices.BinarySearch(f.buckets, v) // first bucket with bound >= v
	f.mu.Lock()
	if i < len(s.counts) {
		s.counts[i]++
	}
	s.n++
	s.v += v
	f.mu.Unlock()
}

// CounterVec is a counter, with labels or without. The zero of its
// pointer type counts nothing.
type CounterVec struct{ f *family }

// Counter declares a counter. Its name should end in _total.
func (r *Registry) Counter(name, help string, labels ...string) *CounterVec {
	return &CounterVec{r.declare(&family{name: name, help: help, kind: Counter, labels: labels})}
}

// Add adds v (≥ 0) to the series of the label values.
func (c *CounterVec) Add(v float64, labelValues ...string) {
	if c == nil || v < 0 || math.IsNaN(v) {
		return
	}
	c.f.add(labelValues, v)
}

// Inc adds 1 to the series of the label values.
func (c *CounterVec) Inc(labelValues ...string) { c.Add(1, labelValues...) }

// With makes the series of the label values present, at zero if new.
func (c *CounterVec) With(labelValues ...string) *CounterVec {
	if c != nil {
		c.f.get(labelValues)
	}
	return c
}

// GaugeVec is a gauge, with labels or without.
type GaugeVec struct{ f *family }

// Gauge declares a gauge.
func (r *Registry) Gauge(name, help string, labels ...string) *GaugeVec {
	return &GaugeVec{r.declare(&family{name: name, help: help, kind: Gauge, labels: labels})}
}

// Set sets the series of the label values to v.
func (g *GaugeVec) Set(v float64, labelValues ...string) {
	if g != nil {
		g.f.set(labelValues, v)
	}
}

// Add adds v (which may be negative) to the series of the label values.
func (g *GaugeVec) Add(v float64, labelValues ...string) {
	if g != nil {
		g.f.add(labelValues, v)
	}
}

// With makes the series of the label values present, at zero if new.
func (g *GaugeVec) With(labelValues ...string) *GaugeVec {
	if g != nil {
		g.f.get(labelValues)
	}
	return g
}

// GaugeFunc declares a gauge whose series are read at every scrape: collect
// calls emit once per series with its value and label values.
func (r *Registry) GaugeFunc(name, help string, labels []string, collect func(emit func(v float64, labelValues ...string))) {
	r.declare(&family{name: name, help: help, kind: Gauge, labels: labels, collect: collect})
}

// HistogramVec is a histogram, with labels or without.
type HistogramVec struct{ f *family }

// Histogram declares a histogram with the given upper bounds (sorted,
// without +Inf, which is always added).
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *HistogramVec {
	if len(buckets) == 0 || !slices.IsSorted(buckets) {
		panic("metrics: " + name + ": buckets must be given in increasing order")
	}
	return &HistogramVec{r.declare(&family{name: name, help: help, kind: Histogram, labels: labels, buckets: slices.Clone(buckets)})}
}

// Observe records one value in the series of the label values.
func (h *HistogramVec) Observe(v float64, labelValues ...string) {
	if h == nil || math.IsNaN(v) {
		return
	}
	h.f.observe(labelValues, v)
}

// With makes the series of the label values present, at zero if new.
func (h *HistogramVec) With(labelValues ...string) *HistogramVec {
	if h != nil {
		h.f.get(labelValues)
	}
	return h
}

// Names lists the declared metric names, in declaration order.
func (r *Registry) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.families))
	for i, f := range r.families {
		out[i] = f.name
	}
	return out
}

// WriteTo writes every family in the text exposition format: its HELP and
// TYPE lines, then its series sorted by label values.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	fams := slices.Clone(r.families)
	r.mu.Unlock()
	var b strings.Builder
	for _, f := range fams {
		f.write(&b)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func (f *family) write(b *strings.Builder) {
	fmt.Fprintf(b, "# HELP %s %s\n", f.name, escapeHelp(f.help))
	fmt.Fprintf(b, "# TYPE %s %s\n", f.name, f.kind)
	var list []*series
	if f.collect != nil {
		f.collect(func(v float64, values ...string) {
			if len(values) == len(f.labels) {
				list = append(list, &series{values: slices.Clone(values), v: v})
			}
		})
	} else {
		f.mu.Lock()
		for _, s := range f.series {
			c := *s
			c.counts = slices.Clone(s.counts)
			list = append(list, &c)
		}
		f.mu.Unlock()
	}
	slices.SortFunc(list, func(a, b *series) int { return slices.Compare(a.values, b.values) })
	for _, s := range list {
		if f.kind != Histogram {
			fmt.Fprintf(b, "%s%s %s\n", f.name, labelText(f.labels, s.values, ""), number(s.v))
			continue
		}
		var cum uint64
		for i, bound := range f.buckets {
			cum += s.counts[i]
			fmt.Fprintf(b, "%s_bucket%s %d\n", f.name, labelText(f.labels, s.values, number(bound)), cum)
		}
		fmt.Fprintf(b, "%s_bucket%s %d\n", f.name, labelText(f.labels, s.values, "+Inf"), s.n)
		fmt.Fprintf(b, "%s_sum%s %s\n", f.name, labelText(f.labels, s.values, ""), number(s.v))
		fmt.Fprintf(b, "%s_count%s %d\n", f.name, labelText(f.labels, s.values, ""), s.n)
	}
}

// labelText is {a="x",b="y"} (with le last for a histogram bucket), or ""
// for no labels.
func labelText(names, values []string, le string) string {
	if len(names) == 0 && le == "" {
		return ""
	}
	parts := make([]string, 0, len(names)+1)
	for i, n := range names {
		parts = append(parts, n+`="`+escapeValue(values[i])+`"`)
	}
	if le != "" {
		parts = append(parts, `le="`+le+`"`)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
func escapeValue(s string) string { return valueEscaper.Replace(s) }

func number(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// ServeHTTP serves the registry in the text format.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	r.WriteTo(w) //nolint:errcheck // the client went away
}

// DurationBuckets are upper bounds in seconds for durations from a few
// milliseconds to about ten minutes.
var DurationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600}
