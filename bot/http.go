package bot

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Limits of the HTTP server (HTTPLimits' defaults). Slack and Telegram send
// requests of a few kilobytes at once; a client that takes longer than
// DefaultReadTimeout to send one is cut off, body and all.
const (
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 10 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
	// DefaultMaxRequests is how many requests to the chat endpoints are
	// served at once; more are answered 503 at once.
	DefaultMaxRequests = 64
	// probeRequests is how many health, readiness and metrics requests
	// are served at once, apart from the chat endpoints so that a flood
	// of those does not fail the probes.
	probeRequests = 8
)

// HTTPLimits bound what clients can hold of the HTTP server; zero fields
// take the defaults above.
type HTTPLimits struct {
	// ReadHeaderTimeout bounds reading a request's headers, ReadTimeout
	// its headers and body together.
	ReadHeaderTimeout, ReadTimeout time.Duration
	// WriteTimeout bounds a request from the end of its headers to the end
	// of its answer; IdleTimeout how long a kept-alive connection waits.
	WriteTimeout, IdleTimeout time.Duration
	MaxHeaderBytes            int
}

// NewHTTPServer returns a server for h whose reads and writes have
// deadlines: a request whose headers and body do not arrive within
// ReadTimeout is cut off and its connection closed, so slow clients cannot
// pile up connections.
func NewHTTPServer(h http.Handler, l HTTPLimits) *http.Server {
	or := func(d, def time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return def
	}
	maxHeader := l.MaxHeaderBytes
	if maxHeader <= 0 {
		maxHeader = DefaultMaxHeaderBytes
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: or(l.ReadHeaderTimeout, DefaultReadHeaderTimeout),
		ReadTimeout:       or(l.ReadTimeout, DefaultReadTimeout),
		WriteTimeout:      or(l.WriteTimeout, DefaultWriteTimeout),
		IdleTimeout:       or(l.IdleTimeout, DefaultIdleTimeout),
		MaxHeaderBytes:    maxHeader,
	}
}

// HTTPOptions are the endpoints of BOT_HTTP_ADDR.
type HTTPOptions struct {
	// Ready reports whether the bot can serve: the store answers and the
	// first scan finished. nil means always ready.
	Ready func(ctx context.Context) error
	// Degraded, when set, lists what does not work although the bot
	// serves (a transport whose token was refused): /readyz then still
	// answers 200, with status "degraded" and the problems, so that a load
	// balancer keeps sending the other platform's commands.
	Degraded func() []string
	Metrics  *Metrics
	// SlackCommands serves POST /slack/commands (nil: 404).
	SlackCommands http.Handler
	// SlackInteractions serves POST /slack/interactions, the alert
	// buttons (nil: 404).
	SlackInteractions http.Handler
	// TelegramWebhook serves POST /telegram/webhook (nil: 404).
	TelegramWebhook http.Handler
	// MaxRequests is how many requests to the chat endpoints are served at
	// once (DefaultMaxRequests when zero); more are answered 503 with
	// Retry-After and the connection closed, and counted in
	// wirewatch_http_requests_refused_total.
	MaxRequests int
}

// NewHTTPHandler returns the bot's HTTP routes, with at most MaxRequests
// chat requests and a few probes served at once.
func NewHTTPHandler(o HTTPOptions) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if o.Ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := o.Ready(ctx); err != nil {
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": err.Error()})
				return
			}
		}
		if o.Degraded != nil {
			if problems := o.Degraded(); len(problems) > 0 {
				writeJSON(w, http.StatusOK, map[string]any{"status": "degraded", "problems": problems})
				return
			}
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	if o.Metrics != nil {
		mux.Handle("GET /metrics", o.Metrics)
	}
	if o.SlackCommands != nil {
		mux.Handle("POST /slack/commands", o.SlackCommands)
	}
	if o.SlackInteractions != nil {
		mux.Handle("POST /slack/interactions", o.SlackInteractions)
	}
	if o.TelegramWebhook != nil {
		mux.Handle("POST /telegram/webhook", o.TelegramWebhook)
	}
	n := o.MaxRequests
	if n <= 0 {
		n = DefaultMaxRequests
	}
	return &requestCap{h: mux, chat: make(chan struct{}, n), probes: make(chan struct{}, probeRequests), metrics: o.Metrics}
}

// requestCap serves at most cap(chat) chat requests and cap(probes) probes
// at once and refuses the others.
type requestCap struct {
	h       http.Handler
	chat    chan struct{}
	probes  chan struct{}
	metrics *Metrics
}

func (c *requestCap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	slots := c.chat
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		switch r.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			slots = c.probes
		}
	}
	select {
	case slots <- struct{}{}:
		defer func() { <-slots }()
		c.h.ServeHTTP(w, r)
	default:
		c.metrics.Use().HTTPRefused.Inc()
		// Closing the connection frees it without reading the body.
		w.Header().Set("Connection", "close")
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many requests at once; try again", http.StatusServiceUnavailable)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away
}
