package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

// CommandHandler is the http.Handler for Slack slash commands
// (POST /slack/commands). It accepts only requests signed with the app's
// signing secret no more than MaxClockSkew ago, and each of them once (a
// replayed request is refused, see ReplayGuard), answers 401 to anything
// else without looking further, and passes each command to a chat.Handler. A
// reply ready within the deadline goes back in the HTTP response; a later
// one is acknowledged at once with "Working on it…" and posted to the
// command's response_url when ready.
//
// Replies are visible to the asker alone unless the reply Message has
// InChannel set.
type CommandHandler struct {
	secret string
	cfg    commandConfig
	d      *dispatcher
}

// NewCommandHandler returns a handler that verifies requests with the
// signing secret (SLACK_SIGNING_SECRET) and answers them with h.
// Call Shutdown or Close to stop it; it returns an error when the secret or
// h is missing.
func NewCommandHandler(signingSecret string, h chat.Handler, opts ...CommandOption) (*CommandHandler, error) {
	if signingSecret == "" {
		return nil, errors.New("slack: slash commands need the app's signing secret (SLACK_SIGNING_SECRET)")
	}
	if h == nil {
		return nil, errors.New("slack: slash commands need a handler")
	}
	cfg := newCommandConfig(opts)
	if cfg.guard == nil {
		cfg.guard = NewReplayGuard(signingSecret, nil, cfg.log)
	}
	return &CommandHandler{
		secret: signingSecret,
		cfg:    cfg,
		d:      newDispatcher(context.Background(), h, cfg, signingSecret),
	}, nil
}

// ServeHTTP verifies, parses and answers one slash command request.
// Specs: https://docs.slack.dev/interactivity/implementing-slash-commands
func (c *CommandHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := readSigned(w, r, c.cfg, "slash command")
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sc, err := slackgo.SlashCommandParse(r)
	if err != nil || sc.Command == "" {
		http.Error(w, "not a slash command", http.StatusBadRequest)
		return
	}
	msg, inTime, err := c.d.answer(r.Context().Done(), commandFrom(sc), sc.ResponseURL)
	switch {
	case errors.Is(err, errBusy):
		writeJSON(w, ephemeral(busyText))
	case err != nil:
		writeJSON(w, ephemeral(closedText))
	case !inTime:
		writeJSON(w, ephemeral(workingText))
	default:
		if p := replyPayload(msg); p != nil {
			writeJSON(w, p)
			return
		}
		w.WriteHeader(http.StatusOK) // nothing to say: a bare acknowledgement
	}
}

// readSigned reads the body of a request Slack signs (POST only, at most
// cfg.maxBody) and checks its signature with cfg.guard. When it reports
// false it has answered the request (405, 413, 400 or 401) and logged why
// a request of kind what was refused.
func readSigned(w http.ResponseWriter, r *http.Request, cfg commandConfig, what string) ([]byte, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, cfg.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return nil, false
		}
		http.Error(w, "cannot read request", http.StatusBadRequest)
		return nil, false
	}
	if err := cfg.guard.Verify(r.Context(), r.Header, body, cfg.now()); err != nil {
		cfg.log.WarnContext(r.Context(), "slack: "+what+" refused", "remote", r.RemoteAddr, "err", err)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(v)
}

// Shutdown stops taking commands (later ones get a "restarting" reply) and
// waits for replies still being prepared or posted. When ctx ends first it
// cancels them, waits for them to return and returns ctx's error.
func (c *CommandHandler) Shutdown(ctx context.Context) error {
	return c.d.shutdown(ctx)
}

// Close cancels replies still being prepared and waits for them to return.
func (c *CommandHandler) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = c.d.shutdown(ctx)
	return nil
}
