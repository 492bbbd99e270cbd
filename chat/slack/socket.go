package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/wirewatch/wirewatch/chat"
)

// maxAckPayload keeps Socket Mode acks under Slack's 20 KB limit, beyond
// which it drops them silently; a larger reply goes to response_url.
const maxAckPayload = 19 << 10

// RunSocketMode receives slash commands over Socket Mode, opened with the
// app-level token (SLACK_APP_TOKEN, xapp-...), and answers them with h: a
// reply ready within the deadline goes back with the acknowledgement, a
// later one is acknowledged with "Working on it…" and posted to the
// command's response_url. With WithActions it also answers alert button
// presses, as InteractionHandler does. The connection is reopened when
// Slack asks or it drops.
//
// RunSocketMode returns nil when ctx is cancelled, after every goroutine it
// started has ended; it returns an error, with the tokens redacted, when
// the token is not an app-level token or Slack refuses it.
// Specs: https://docs.slack.dev/apis/events-api/using-socket-mode
func (t *Transport) RunSocketMode(ctx context.Context, appToken string, h chat.Handler, opts ...CommandOption) error {
	if !strings.HasPrefix(appToken, "xapp-") {
		return errors.New("slack: socket mode needs an app-level token (xapp-...) with connections:write in SLACK_APP_TOKEN")
	}
	if h == nil {
		return errors.New("slack: socket mode needs a command handler")
	}
	cfg := newCommandConfig(opts)
	secrets := []string{t.token, appToken}
	api := slackgo.New(t.token,
		slackgo.OptionAppLevelToken(appToken),
		slackgo.OptionAPIURL(t.apiURL),
		slackgo.OptionHTTPClient(t.client))
	smc := socketmode.New(api)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &socketSession{smc: smc, d: newDispatcher(runCtx, h, cfg, secrets...), cfg: cfg, secrets: secrets}
	if cfg.actions != nil {
		s.run = newActionRunner(runCtx, t, cfg.actions, cfg, appToken)
	}
	runErr := make(chan error, 1)
	go func() { runErr <- smc.RunContext(runCtx) }()

	var err error
	for running := true; running; {
		select {
		case <-ctx.Done():
			running = false
		case err = <-runErr:
			runErr, running = nil, false
		case evt := <-smc.Events:
			s.handle(runCtx, evt)
		}
	}
	cancel()
	if runErr != nil {
		err = <-runErr
	}
	_ = s.d.shutdown(runCtx) // runCtx is done: cancel the handlers and wait
	if s.run != nil {
		_ = s.run.shutdown(runCtx)
	}
	s.acks.Wait()
	if ctx.Err() != nil {
		return nil
	}
	return chat.RedactError(fmt.Errorf("slack: socket mode: %w", err), secrets...)
}

// socketSession answers the events of one RunSocketMode call.
type socketSession struct {
	smc     *socketmode.Client
	d       *dispatcher
	cfg     commandConfig
	secrets []string
	acks    sync.WaitGroup
	// run answers button presses; nil when they are ignored.
	run *actionRunner
}

func (s *socketSession) handle(ctx context.Context, evt socketmode.Event) {
	log := s.cfg.log
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		log.DebugContext(ctx, "slack: socket mode connecting")
	case socketmode.EventTypeConnected:
		log.InfoContext(ctx, "slack: socket mode connected")
	case socketmode.EventTypeConnectionError:
		if e, ok := evt.Data.(*slackgo.ConnectionErrorEvent); ok && e.ErrorObj != nil {
			log.WarnContext(ctx, "slack: socket mode connection failed", "attempt", e.Attempt,
				"retry_in", e.Backoff, "err", chat.RedactError(e.ErrorObj, s.secrets...))
		}
	case socketmode.EventTypeInvalidAuth:
		log.ErrorContext(ctx, "slack: socket mode refused the app token: check SLACK_APP_TOKEN")
	case socketmode.EventTypeSlashCommand:
		sc, ok := evt.Data.(slackgo.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		id := evt.Request.EnvelopeID
		s.acks.Go(func() { s.answer(ctx, id, sc) })
	case socketmode.EventTypeInteractive:
		// Acknowledged at once, within Slack's 3 seconds; the answer
		// follows through the response_url or chat.update.
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			_ = s.smc.AckCtx(ctx, evt.Request.EnvelopeID, nil)
		}
		cb, ok := evt.Data.(slackgo.InteractionCallback)
		if !ok || s.run == nil {
			return
		}
		if err := s.run.start(cb); err != nil {
			log.WarnContext(ctx, "slack: interaction not handled", "err", err)
		}
	case socketmode.EventTypeEventsAPI:
		// Not subscribed to, but acknowledged so that Slack does not resend.
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			_ = s.smc.AckCtx(ctx, evt.Request.EnvelopeID, nil)
		}
	}
}

// answer acknowledges one slash command envelope with the reply when it is
// ready in time, else with a short note while the reply goes to response_url.
func (s *socketSession) answer(ctx context.Context, envelopeID string, sc slackgo.SlashCommand) {
	cmd := commandFrom(sc)
	msg, inTime, err := s.d.answer(nil, cmd, sc.ResponseURL)
	var ack *responsePayload
	switch {
	case errors.Is(err, errBusy):
		ack = ephemeral(busyText)
	case err != nil:
		ack = ephemeral(closedText)
	case !inTime:
		ack = ephemeral(workingText)
	default:
		ack = replyPayload(msg)
		if ack != nil && !fitsAck(ack) {
			ack = ephemeral(workingText)
			s.acks.Go(func() { s.d.postLate(cmd, sc.ResponseURL, msg) })
		}
	}
	var payload any
	if ack != nil {
		payload = ack
	}
	if err := s.smc.AckCtx(ctx, envelopeID, payload); err != nil {
		s.cfg.log.WarnContext(ctx, "slack: socket mode ack not sent", "command", cmd.Name, "err", err)
	}
}

func fitsAck(p *responsePayload) bool {
	b, err := json.Marshal(p)
	return err == nil && len(b) < maxAckPayload
}
