package metrics

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestExposition(t *testing.T) {
	r := New()
	scans := r.Counter("test_scans_total", "Scans, by outcome.", "outcome").With("ok").With("error")
	docs := r.Counter("test_documents_total", "Documents read.")
	last := r.Gauge("test_last_success_timestamp_seconds", "When the last scan succeeded.")
	lat := r.Histogram("test_latency_seconds", "Enqueue to sent.", []float64{0.5, 1, 5}, "transport").With("slack")
	r.GaugeFunc("test_depth", "Rows waiting.", []string{"transport"}, func(emit func(float64, ...string)) {
		emit(3, "slack")
		emit(0, "telegram")
	})
	scans.Inc("ok")
	scans.Add(2, "ok")
	scans.Add(-1, "ok") // counters never go down
	docs.Add(5)
	last.Set(1.6e9)
	lat.Observe(0.2, "slack")
	lat.Observe(0.5, "slack")
	lat.Observe(3, "slack")
	lat.Observe(60, "telegram")
	scans.Inc("quote\"back\\slash\nline")

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	got := rec.Body.String()
	want := `# HELP test_scans_total Scans, by outcome.
# TYPE test_scans_total counter
test_scans_total{outcome="error"} 0
test_scans_total{outcome="ok"} 3
test_scans_total{outcome="quote\"back\\slash\nline"} 1
# HELP test_documents_total Documents read.
# TYPE test_documents_total counter
test_documents_total 5
# HELP test_last_success_timestamp_seconds When the last scan succeeded.
# TYPE test_last_success_timestamp_seconds gauge
test_last_success_timestamp_seconds 1.6e+09
# HELP test_latency_seconds Enqueue to sent.
# TYPE test_latency_seconds histogram
test_latency_seconds_bucket{transport="slack",le="0.5"} 2
test_latency_seconds_bucket{transport="slack",le="1"} 2
test_latency_seconds_bucket{transport="slack",le="5"} 3
test_latency_seconds_bucket{transport="slack",le="+Inf"} 3
test_latency_seconds_sum{transport="slack"} 3.7
test_latency_seconds_count{transport="slack"} 3
test_latency_seconds_bucket{transport="telegram",le="0.5"} 0
test_latency_seconds_bucket{transport="telegram",le="1"} 0
test_latency_seconds_bucket{transport="telegram",le="5"} 0
test_latency_seconds_bucket{transport="telegram",le="+Inf"} 1
test_latency_seconds_sum{transport="telegram"} 60
test_latency_seconds_count{transport="telegram"} 1
# HELP test_depth Rows waiting.
# TYPE test_depth gauge
test_depth{transport="slack"} 3
test_depth{transport="telegram"} 0
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}
	e, problems := Lint(strings.NewReader(got))
	if len(problems) > 0 {
		t.Errorf("lint: %v", problems)
	}
	if !e.Has("test_latency_seconds", `transport="slack"`) || !e.Has("test_scans_total", `outcome="error"`) || e.Has("test_scans_total", `outcome="nope"`) {
		t.Error("Has")
	}
}

func TestLintFindsProblems(t *testing.T) {
	for _, text := range []string{
		"x_total 1\n",                                              // no TYPE
		"# TYPE x_total counter\nx_total 1\n",                      // no HELP
		"# HELP x c\n# TYPE x counter\nx 1\n",                      // counter not _total
		"# HELP h d\n# TYPE h histogram\nh 1\n",                    // bare histogram sample
		"# HELP g d\n# TYPE g gauge\ng one\n",                      // not a number
		"# HELP g d\n# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"1\"} 2\n", // twice
	} {
		if _, problems := Lint(strings.NewReader(text)); len(problems) == 0 {
			t.Errorf("no problem found in %q", text)
		}
	}
}

func TestDeclarationMistakesPanic(t *testing.T) {
	for name, declare := range map[string]func(r *Registry){
		"twice":       func(r *Registry) { r.Counter("a_total", "h"); r.Counter("a_total", "h") },
		"bad name":    func(r *Registry) { r.Gauge("a-b", "h") },
		"no help":     func(r *Registry) { r.Gauge("a", "") },
		"bad label":   func(r *Registry) { r.Gauge("a", "h", "le-x") },
		"le":          func(r *Registry) { r.Histogram("a", "h", []float64{1}, "le") },
		"unsorted":    func(r *Registry) { r.Histogram("a", "h", []float64{2, 1}) },
		"wrong arity": func(r *Registry) { r.Counter("a_total", "h", "x").Inc() },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			declare(New())
		}()
	}
}

func TestNilVecsRecordNothing(t *testing.T) {
	var c *CounterVec
	var g *GaugeVec
	var h *HistogramVec
	c.Inc()
	g.Set(1)
	h.Observe(1)
	c.With("x")
}
