package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

// Short answers a command gets before, or instead of, its reply.
const (
	workingText = "Working on it…"
	busyText    = "wirewatch is busy with other commands: try again in a minute."
	closedText  = "wirewatch is restarting: try again in a minute."
	failedText  = "Sorry, that command failed. The error is in wirewatch's log."
)

var (
	errBusy   = errors.New("slack: too many commands in progress")
	errClosed = errors.New("slack: command handler closed")
)

// responsePayload is a command's answer as Slack takes it in an HTTP
// response, a Socket Mode ack or a post to response_url.
// Specs: https://docs.slack.dev/interactivity/implementing-slash-commands#responding_to_commands
type responsePayload struct {
	ResponseType string          `json:"response_type"`
	Text         string          `json:"text"`
	Blocks       []slackgo.Block `json:"blocks,omitempty"`
}

// replyPayload renders a command's reply as one message, visible to the
// asker alone unless m.InChannel; nil when m has nothing to show.
func replyPayload(m chat.Message) *responsePayload {
	pages := layout(m, 1)
	if len(pages) == 0 {
		return nil
	}
	rt := slackgo.ResponseTypeEphemeral
	if m.InChannel {
		rt = slackgo.ResponseTypeInChannel
	}
	return &responsePayload{ResponseType: rt, Text: pages[0].Text, Blocks: pages[0].Blocks}
}

func ephemeral(text string) *responsePayload {
	return &responsePayload{ResponseType: slackgo.ResponseTypeEphemeral, Text: escape(text)}
}

// dispatcher runs command handlers with a deadline and owns the goroutines
// that finish late answers.
type dispatcher struct {
	h       chat.Handler
	cfg     commandConfig
	secrets []string
	ctx     context.Context
	cancel  context.CancelFunc
	sem     chan struct{}
	wg      sync.WaitGroup

	mu     sync.Mutex
	closed bool
}

func newDispatcher(parent context.Context, h chat.Handler, cfg commandConfig, secrets ...string) *dispatcher {
	ctx, cancel := context.WithCancel(parent)
	return &dispatcher{h: h, cfg: cfg, secrets: secrets, ctx: ctx, cancel: cancel, sem: make(chan struct{}, cfg.maxPending)}
}

// pending is the hand-over between a handler and the request waiting for it.
type pending struct {
	mu    sync.Mutex
	ready chan struct{}
	msg   chat.Message
	late  bool
}

// deliver hands msg to the waiting request; false when it stopped waiting.
func (p *pending) deliver(msg chat.Message) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.late {
		return false
	}
	p.msg = msg
	close(p.ready)
	return true
}

// giveUp marks the answer late unless it arrived meanwhile.
func (p *pending) giveUp() (chat.Message, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.ready:
		return p.msg, true
	default:
		p.late = true
		return chat.Message{}, false
	}
}

// answer runs the handler for cmd. It returns the reply and true when the
// handler answered within the deadline (or before stop); otherwise false,
// and the reply will be posted to responseURL when it comes. It returns
// errBusy or errClosed when the handler could not be started.
func (d *dispatcher) answer(stop <-chan struct{}, cmd chat.Command, responseURL string) (chat.Message, bool, error) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return chat.Message{}, false, errClosed
	}
	select {
	case d.sem <- struct{}{}:
	default:
		d.mu.Unlock()
		return chat.Message{}, false, errBusy
	}
	d.wg.Add(1)
	d.mu.Unlock()

	p := &pending{ready: make(chan struct{})}
	go func() {
		defer d.wg.Done()
		defer func() { <-d.sem }()
		msg := d.run(cmd)
		if !p.deliver(msg) {
			d.postLate(cmd, responseURL, msg)
		}
	}()
	timer := time.NewTimer(d.cfg.deadline)
	defer timer.Stop()
	select {
	case <-p.ready:
	case <-timer.C:
	case <-stop:
	case <-d.ctx.Done():
	}
	msg, ok := p.giveUp()
	return msg, ok, nil
}

// run calls the handler with the answer timeout; a panic becomes an apology.
func (d *dispatcher) run(cmd chat.Command) (msg chat.Message) {
	ctx, cancel := context.WithTimeout(d.ctx, d.cfg.answerTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			d.cfg.log.Error("slack: command handler panicked", "command", cmd.Name, "panic", fmt.Sprint(v))
			msg = chat.Message{Kind: chat.KindReply, Text: failedText}
		}
		if msg.Channel == "" {
			msg.Channel = cmd.Channel
		}
	}()
	d.cfg.log.DebugContext(ctx, "slack: command", "command", cmd.Name, "channel", cmd.Channel, "user", cmd.User)
	return d.h.HandleCommand(ctx, cmd)
}

// postLate posts a reply that missed the deadline to the command's
// response_url, and logs what went wrong.
func (d *dispatcher) postLate(cmd chat.Command, responseURL string, msg chat.Message) {
	p := replyPayload(msg)
	if p == nil {
		return
	}
	if responseURL == "" {
		d.cfg.log.Warn("slack: late reply dropped: the command had no response_url", "command", cmd.Name)
		return
	}
	ctx, cancel := context.WithTimeout(d.ctx, 30*time.Second)
	defer cancel()
	if err := d.postResponse(ctx, responseURL, p); err != nil {
		d.cfg.log.Warn("slack: late reply not posted", "command", cmd.Name, "channel", cmd.Channel, "err", err)
	}
}

// postResponse posts p to a response_url, which Slack accepts for 30 minutes.
func (d *dispatcher) postResponse(ctx context.Context, responseURL string, p *responsePayload) error {
	return postResponse(ctx, d.cfg.client, responseURL, p, d.secrets)
}

// postResponse posts p as JSON to a response_url with client. The URL is
// a credential of its own: errors leave it and the secrets out.
func postResponse(ctx context.Context, client *http.Client, responseURL string, p any, secrets []string) error {
	secrets = append([]string{responseURL}, secrets...)
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("slack: encode reply: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
	if err != nil {
		return chat.RedactError(fmt.Errorf("slack: response_url: %w", err), secrets...)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return chat.RedactError(fmt.Errorf("slack: response_url: %w", err), secrets...)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("slack: response_url: %s: %s", resp.Status, strings.TrimSpace(string(answer)))
		return chat.RedactError(err, secrets...)
	}
	return nil
}

// shutdown stops taking commands and waits for the pending ones to finish;
// when ctx ends first, it cancels them and still waits for them to return.
func (d *dispatcher) shutdown(ctx context.Context) error {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	return drain(ctx, &d.wg, d.cancel, "commands")
}

// drain waits for the goroutines of wg; when ctx ends first it cancels
// them, still waits for them to return and says that what was cut short.
// cancel is called in any case.
func drain(ctx context.Context, wg *sync.WaitGroup, cancel context.CancelFunc, what string) error {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	defer cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		cancel()
		<-done
		return fmt.Errorf("slack: %s cut short: %w", what, ctx.Err())
	}
}

// commandPrefix may start a command's name, for workspaces where a name is
// taken (Slack's own /search, /mute and /status): /ww-search is /search.
const commandPrefix = "ww-"

// commandFrom turns a slash command into wirewatch's neutral Command.
func commandFrom(sc slackgo.SlashCommand) chat.Command {
	name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(sc.Command), "/"))
	return chat.Command{
		Transport: "slack",
		Channel:   sc.ChannelID,
		User:      sc.UserID,
		Name:      strings.TrimPrefix(name, commandPrefix),
		Args:      strings.TrimSpace(sc.Text),
	}
}
