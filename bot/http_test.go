package bot

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHTTPEndpoints(t *testing.T) {
	m := NewMetrics()
	m.inc("wirewatch_messages_sent_total", "slack", "alert")
	m.inc("wirewatch_messages_sent_total", "slack", "alert")
	m.Gauge(func() map[string]float64 { return map[string]float64{`wirewatch_outbox_rows{state="pending"}`: 3} })
	ready := errors.New("first scan not finished")
	h := NewHTTPHandler(HTTPOptions{Metrics: m, Ready: func(context.Context) error { return ready }})
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		b, _ := io.ReadAll(rec.Body)
		return rec.Code, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz %d", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "first scan") {
		t.Errorf("/readyz before ready: %d %s", code, body)
	}
	ready = nil
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz when ready: %d", code)
	}
	code, body := get("/metrics")
	for _, want := range []string{
		"# TYPE wirewatch_messages_sent_total counter",
		`wirewatch_messages_sent_total{transport="slack",kind="alert"} 2`,
		"# TYPE wirewatch_outbox_rows gauge",
		`wirewatch_outbox_rows{state="pending"} 3`,
	} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/slack/commands", nil))
	if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("/slack/commands without Slack configured: %d", rec.Code)
	}
}
