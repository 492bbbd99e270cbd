package bot

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// HTTPOptions are the endpoints of BOT_HTTP_ADDR.
type HTTPOptions struct {
	// Ready reports whether the bot can serve: the store answers and the
	// first scan finished. nil means always ready.
	Ready   func(ctx context.Context) error
	Metrics *Metrics
	// SlackCommands serves POST /slack/commands (nil: 404).
	SlackCommands http.Handler
	// TelegramWebhook serves POST /telegram/webhook (nil: 404).
	TelegramWebhook http.Handler
}

// NewHTTPHandler returns the bot's HTTP routes.
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
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	if o.Metrics != nil {
		mux.Handle("GET /metrics", o.Metrics)
	}
	if o.SlackCommands != nil {
		mux.Handle("POST /slack/commands", o.SlackCommands)
	}
	if o.TelegramWebhook != nil {
		mux.Handle("POST /telegram/webhook", o.TelegramWebhook)
	}
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away
}
