package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

// InteractionHandler is the http.Handler for Block Kit interactions (POST
// /slack/interactions, the app's Interactivity Request URL). It checks
// requests exactly as CommandHandler does (signed with the app's signing
// secret no more than MaxClockSkew ago and never seen before, see
// ReplayGuard and WithReplayGuard; 401 and nothing read otherwise),
// acknowledges a button press at once with an empty 200, and then passes it
// to a chat.ActionHandler. The answer goes back to the presser alone
// through the interaction's response_url; when the press changed the
// alert, the alert is updated in place with chat.update.
type InteractionHandler struct {
	cfg commandConfig
	run *actionRunner
}

// NewInteractionHandler returns a handler that verifies requests with the
// signing secret (SLACK_SIGNING_SECRET), answers presses with h and
// updates alerts through t. Call Close to stop it.
func NewInteractionHandler(signingSecret string, t *Transport, h chat.ActionHandler, opts ...CommandOption) (*InteractionHandler, error) {
	if signingSecret == "" {
		return nil, errors.New("slack: interactions need the app's signing secret (SLACK_SIGNING_SECRET)")
	}
	if t == nil || h == nil {
		return nil, errors.New("slack: interactions need the transport and an action handler")
	}
	cfg := newCommandConfig(opts)
	if cfg.guard == nil {
		cfg.guard = NewReplayGuard(signingSecret, nil, cfg.log)
	}
	return &InteractionHandler{cfg: cfg,
		run: newActionRunner(context.Background(), t, h, cfg, signingSecret)}, nil
}

// ServeHTTP verifies, acknowledges and starts one interaction.
// Specs: https://docs.slack.dev/interactivity/handling-user-interaction
func (ih *InteractionHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := readSigned(w, r, ih.cfg, "interaction")
	if !ok {
		return
	}
	cb, err := ParseInteraction(body)
	if err != nil {
		ih.cfg.log.WarnContext(r.Context(), "slack: unreadable interaction", "err", err)
		http.Error(w, "not an interaction payload", http.StatusBadRequest)
		return
	}
	if err := ih.run.start(cb); err != nil {
		ih.cfg.log.WarnContext(r.Context(), "slack: interaction not handled", "err", err)
	}
	w.WriteHeader(http.StatusOK)
}

// Close cancels the presses being answered and waits for them to return.
func (ih *InteractionHandler) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = ih.run.shutdown(ctx)
	return nil
}

// Shutdown stops taking presses and waits for those being answered; when
// ctx ends first it cancels them and returns ctx's error.
func (ih *InteractionHandler) Shutdown(ctx context.Context) error { return ih.run.shutdown(ctx) }

// ParseInteraction reads the body of an interaction request: a form whose
// payload field is the JSON of the interaction.
// Specs: https://docs.slack.dev/interactivity/handling-user-interaction#payloads
func ParseInteraction(body []byte) (slackgo.InteractionCallback, error) {
	var cb slackgo.InteractionCallback
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return cb, fmt.Errorf("slack: interaction form: %w", err)
	}
	payload := form.Get("payload")
	if payload == "" {
		return cb, errors.New("slack: interaction without a payload")
	}
	if err := json.Unmarshal([]byte(payload), &cb); err != nil {
		return cb, fmt.Errorf("slack: interaction payload: %w", err)
	}
	return cb, nil
}

// Actions turns a block_actions interaction into the presses it carries:
// the channel and message of the container, who pressed, and each
// element's data (a button's value, a menu's selected option). Elements
// whose data is not an alert button's are skipped; other interaction types
// carry none.
func Actions(cb slackgo.InteractionCallback) []chat.Action {
	if cb.Type != slackgo.InteractionTypeBlockActions {
		return nil
	}
	channel := cb.Container.ChannelID
	if channel == "" {
		channel = cb.Channel.ID
	}
	name := cb.User.Name
	if name == "" {
		name = cb.User.Username
	}
	if name != "" {
		name = "@" + name
	}
	var out []chat.Action
	for _, ba := range cb.ActionCallback.BlockActions {
		if ba == nil {
			continue
		}
		raw := ba.Value
		if ba.SelectedOption.Value != "" {
			raw = ba.SelectedOption.Value
		}
		d, err := chat.ParseActionData(raw)
		if err != nil {
			continue
		}
		out = append(out, chat.Action{Transport: "slack", Channel: channel, User: cb.User.ID, UserName: name,
			MessageID: cb.Container.MessageTs, Data: d})
	}
	return out
}

// actionRunner answers presses after they were acknowledged, for HTTP and
// Socket Mode alike, and owns the goroutines doing it.
type actionRunner struct {
	t       *Transport
	h       chat.ActionHandler
	cfg     commandConfig
	secrets []string
	ctx     context.Context
	cancel  context.CancelFunc
	sem     chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	closed  bool
}

func newActionRunner(parent context.Context, t *Transport, h chat.ActionHandler, cfg commandConfig, secrets ...string) *actionRunner {
	ctx, cancel := context.WithCancel(parent)
	return &actionRunner{t: t, h: h, cfg: cfg, secrets: append(secrets, t.token), ctx: ctx, cancel: cancel,
		sem: make(chan struct{}, cfg.maxPending)}
}

// start answers cb in the background; errBusy or errClosed when it cannot.
func (r *actionRunner) start(cb slackgo.InteractionCallback) error {
	acts := Actions(cb)
	if len(acts) == 0 {
		return nil
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return errClosed
	}
	select {
	case r.sem <- struct{}{}:
	default:
		r.mu.Unlock()
		r.respond(cb.ResponseURL, busyText)
		return errBusy
	}
	defer r.mu.Unlock()
	r.wg.Go(func() {
		defer func() { <-r.sem }()
		for _, a := range acts {
			r.answer(a, cb.ResponseURL)
		}
	})
	return nil
}

// answer runs the handler for one press and sends its answer: the alert
// updated in place when the press changed it, else a message to the
// presser alone.
func (r *actionRunner) answer(a chat.Action, responseURL string) {
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.answerTimeout)
	defer cancel()
	reply := r.handle(ctx, a)
	log := r.cfg.log.With("channel", a.Channel, "user", a.User, "action", a.Data.Verb)
	if reply.Alert != nil && !reply.Refused {
		alert := *reply.Alert
		// The message the button is on is the one to update.
		alert.Kind, alert.Channel = chat.KindEdit, a.Channel
		if a.MessageID != "" {
			alert.ThreadID = a.MessageID
		}
		_, err := r.t.Send(ctx, alert)
		if err == nil {
			log.DebugContext(ctx, "slack: alert updated after a press")
			return
		}
		log.WarnContext(ctx, "slack: alert not updated after a press; answering privately", "err", err)
	}
	r.respond(responseURL, reply.Text)
}

// handle calls the handler; a panic becomes an apology.
func (r *actionRunner) handle(ctx context.Context, a chat.Action) (reply chat.ActionReply) {
	defer func() {
		if v := recover(); v != nil {
			r.cfg.log.Error("slack: action handler panicked", "action", a.Data.Verb, "panic", fmt.Sprint(v))
			reply = chat.ActionReply{Text: failedText}
		}
	}()
	return r.h.HandleAction(ctx, a)
}

// respond posts text to the presser alone through the response_url.
func (r *actionRunner) respond(responseURL, text string) {
	if responseURL == "" || text == "" {
		return
	}
	ctx, cancel := context.WithTimeout(r.ctx, 30*time.Second)
	defer cancel()
	p := &interactionResponse{ResponseType: slackgo.ResponseTypeEphemeral, Text: escape(truncate(text, maxFallbackText))}
	if err := postResponse(ctx, r.cfg.client, responseURL, p, r.secrets); err != nil {
		r.cfg.log.Warn("slack: answer to a press not posted", "err", err)
	}
}

// interactionResponse is a message posted to an interaction's
// response_url; replace_original false keeps the alert as it is.
// Specs: https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
type interactionResponse struct {
	ResponseType    string `json:"response_type"`
	Text            string `json:"text"`
	ReplaceOriginal bool   `json:"replace_original"`
}

// shutdown stops taking presses and waits for those under way; when ctx
// ends first it cancels them and still waits for them to return.
func (r *actionRunner) shutdown(ctx context.Context) error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	return drain(ctx, &r.wg, r.cancel, "presses")
}
