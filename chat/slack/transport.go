// Package slack is wirewatch's Slack transport: it posts alerts, thread
// updates, edits, digests and replies with Block Kit through the Web API,
// and receives slash commands over signed HTTP requests or Socket Mode.
//
// Every piece of article text is escaped for Slack, so nothing an article
// says can mention or link anyone, and every error it returns has the tokens
// redacted.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

// Transport posts messages to Slack. It is safe for concurrent use.
type Transport struct {
	token  string
	apiURL string
	client *http.Client
	log    *slog.Logger
	api    *slackgo.Client
}

var _ chat.Transport = (*Transport)(nil)

// Option configures a Transport.
type Option func(*Transport)

// WithAPIURL sets the Web API base (SLACK_API_URL), e.g. a proxy or a test
// server; "" keeps https://slack.com/api/. A missing final "/" is added.
func WithAPIURL(u string) Option {
	return func(t *Transport) {
		if u = strings.TrimSpace(u); u != "" {
			t.apiURL = strings.TrimRight(u, "/") + "/"
		}
	}
}

// WithHTTPClient sets the HTTP client for Web API calls.
func WithHTTPClient(c *http.Client) Option {
	return func(t *Transport) {
		if c != nil {
			t.client = c
		}
	}
}

// WithLogger sets the logger; the default discards.
func WithLogger(l *slog.Logger) Option {
	return func(t *Transport) {
		if l != nil {
			t.log = l
		}
	}
}

// New returns a Transport that posts with the bot token (xoxb-...).
func New(token string, opts ...Option) *Transport {
	t := &Transport{
		token:  token,
		apiURL: slackgo.APIURL,
		client: &http.Client{},
		log:    slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o(t)
	}
	t.api = slackgo.New(token, slackgo.OptionAPIURL(t.apiURL), slackgo.OptionHTTPClient(t.client))
	return t
}

// Name returns "slack".
func (t *Transport) Name() string { return "slack" }

// Send posts m to m.Channel and returns the Slack ts of the message.
// KindAlert, KindDigest and KindReply are posted to the channel, KindUpdate
// in the thread of m.ThreadID (in the channel when it has none), and KindEdit
// rewrites the message m.ThreadID and returns its ts.
// A digest or update too long for one message continues in the thread; if
// a continuation fails after the first message was posted, Send returns that
// message's ts with a Permanent error, so nothing is posted twice.
//
// Errors: a RetryAfter error when Slack rate-limits, a Permanent error with
// a hint for the operator when retrying cannot help (channel_not_found,
// not_in_channel, invalid_auth ...), a plain error otherwise (server or
// network trouble). No error contains the token.
func (t *Transport) Send(ctx context.Context, m chat.Message) (string, error) {
	if m.Channel == "" {
		return "", chat.Permanent(errors.New("slack: message has no channel"), "give the channel its Slack id in rules.yaml")
	}
	pages := render(m)
	if len(pages) == 0 {
		return "", chat.Permanent(errors.New("slack: nothing to post"), "the message was empty")
	}
	switch m.Kind {
	case chat.KindEdit:
		if m.ThreadID == "" {
			return "", chat.Permanent(errors.New("slack: edit without the ts of the message to edit"), "")
		}
		return t.update(ctx, m.Channel, m.ThreadID, pages[0])
	case chat.KindAlert, chat.KindDigest, chat.KindReply, chat.KindUpdate:
	default:
		return "", chat.Permanent(fmt.Errorf("slack: unknown message kind %q", m.Kind), "")
	}
	thread := ""
	if m.Kind == chat.KindUpdate {
		thread = m.ThreadID
	}
	first, err := t.post(ctx, m.Channel, thread, pages[0])
	if err != nil {
		return "", err
	}
	if thread == "" {
		thread = first
	}
	for i, p := range pages[1:] {
		if _, err := t.post(ctx, m.Channel, thread, p); err != nil {
			t.log.WarnContext(ctx, "slack: continuation not posted", "channel", m.Channel, "ts", first, "part", i+2, "err", err)
			return first, chat.Permanent(fmt.Errorf("slack: part %d of %d: %w", i+2, len(pages), err),
				"the first part was posted; the rest is missing from its thread")
		}
	}
	return first, nil
}

// post calls chat.postMessage and returns the message's ts.
// Specs: https://docs.slack.dev/reference/methods/chat.postMessage
func (t *Transport) post(ctx context.Context, channel, thread string, p payload) (string, error) {
	opts := t.msgOptions(p)
	if thread != "" {
		opts = append(opts, slackgo.MsgOptionTS(thread))
	}
	_, ts, err := t.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", classify("chat.postMessage", err, t.token)
	}
	return ts, nil
}

// update calls chat.update on the message ts and returns its ts.
// Specs: https://docs.slack.dev/reference/methods/chat.update
func (t *Transport) update(ctx context.Context, channel, ts string, p payload) (string, error) {
	_, got, _, err := t.api.UpdateMessageContext(ctx, channel, ts, t.msgOptions(p)...)
	if err != nil {
		return "", classify("chat.update", err, t.token)
	}
	if got == "" {
		got = ts
	}
	return got, nil
}

func (t *Transport) msgOptions(p payload) []slackgo.MsgOption {
	return []slackgo.MsgOption{
		slackgo.MsgOptionText(p.Text, false), // already escaped
		slackgo.MsgOptionBlocks(p.Blocks...),
		slackgo.MsgOptionDisableLinkUnfurl(),
		slackgo.MsgOptionDisableMediaUnfurl(),
	}
}

// Identity is whom the bot token belongs to.
type Identity struct {
	Team   string
	TeamID string
	User   string
	UserID string
	BotID  string
}

// AuthTest checks the bot token with auth.test and says whom it belongs to.
// Errors are classified like Send's.
// Specs: https://docs.slack.dev/reference/methods/auth.test
func (t *Transport) AuthTest(ctx context.Context) (Identity, error) {
	r, err := t.api.AuthTestContext(ctx)
	if err != nil {
		return Identity{}, classify("auth.test", err, t.token)
	}
	return Identity{Team: r.Team, TeamID: r.TeamID, User: r.User, UserID: r.UserID, BotID: r.BotID}, nil
}
