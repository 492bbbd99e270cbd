package bot

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Metrics is a small registry of counters and gauges served in the
// Prometheus text exposition format. A nil *Metrics counts nothing.
type Metrics struct {
	mu     sync.Mutex
	counts map[string]float64 // full series name with labels -> value
	help   map[string]string
	gauges []func() map[string]float64
}

// NewMetrics returns an empty registry with the help texts of wirewatch's
// counters.
func NewMetrics() *Metrics {
	return &Metrics{
		counts: map[string]float64{},
		help: map[string]string{
			"wirewatch_messages_sent_total":    "Messages delivered, by transport and kind.",
			"wirewatch_messages_dead_total":    "Messages dead-lettered, by transport and kind.",
			"wirewatch_delivery_retries_total": "Delivery attempts that will be retried.",
			"wirewatch_rate_limited_total":     "Deliveries the platform rate-limited.",
			"wirewatch_documents_total":        "Documents processed.",
			"wirewatch_scan_errors_total":      "Scans that failed.",
			"wirewatch_commands_total":         "Chat commands answered, by command.",
		},
	}
}

func (m *Metrics) inc(name string, labels ...string) {
	if m == nil {
		return
	}
	m.add(name, 1, labels...)
}

// add adds v to a counter; labels are alternating transport and kind, or a
// single command name, as the counter's help says.
func (m *Metrics) add(name string, v float64, labels ...string) {
	if m == nil {
		return
	}
	key := name
	switch len(labels) {
	case 1:
		key += fmt.Sprintf(`{command=%q}`, labels[0])
	case 2:
		key += fmt.Sprintf(`{transport=%q,kind=%q}`, labels[0], labels[1])
	}
	m.mu.Lock()
	m.counts[key] += v
	m.mu.Unlock()
}

// Gauge registers a function read at every scrape that returns series
// (full names with labels) and their values.
func (m *Metrics) Gauge(f func() map[string]float64) {
	m.mu.Lock()
	m.gauges = append(m.gauges, f)
	m.mu.Unlock()
}

// WriteTo writes every series in the text format.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	m.mu.Lock()
	series := make(map[string]float64, len(m.counts))
	for k, v := range m.counts {
		series[k] = v
	}
	gauges := slices.Clone(m.gauges)
	m.mu.Unlock()
	for _, g := range gauges {
		for k, v := range g() {
			series[k] = v
		}
	}
	keys := make([]string, 0, len(series))
	for k := range series {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	last := ""
	for _, k := range keys {
		name, _, _ := strings.Cut(k, "{")
		if name != last {
			typ := "gauge"
			if strings.HasSuffix(name, "_total") {
				typ = "counter"
			}
			if h := m.help[name]; h != "" {
				fmt.Fprintf(&b, "# HELP %s %s\n", name, h)
			}
			fmt.Fprintf(&b, "# TYPE %s %s\n", name, typ)
			last = name
		}
		fmt.Fprintf(&b, "%s %g\n", k, series[k])
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// ServeHTTP serves the metrics.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	m.WriteTo(w) //nolint:errcheck // the client went away
}
