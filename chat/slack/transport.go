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

var (
	_ chat.Transport  = (*Transport)(nil)
	_ chat.Splitter   = (*Transport)(nil)
	_ chat.Reconciler = (*Transport)(nil)
)

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

// Send posts one Slack message and returns its ts. It never waits and
// never retries: pacing and retries are the delivery loop's.
//
// A message with a Part posts that part (as Split rendered it), in the
// part's own thread or else in the thread of m.ThreadID; any other
// message posts the first page of its rendering: KindAlert, KindDigest
// and KindReply to the channel, KindUpdate in the thread of m.ThreadID
// (in the channel when it has none). KindEdit rewrites the message
// m.ThreadID and returns its ts. Every post carries m.Key in its metadata
// (event type MetadataEventType), so that Find can tell later whether a
// post whose answer was lost reached Slack.
//
// Errors: a RetryAfter error when Slack rate-limits (marked AcrossChannels
// for chat.update, limited per workspace), an AuthFailure when the token
// is refused (invalid_auth, token_revoked ...), an OutcomeUnknown error
// when the request may have been posted without an answer saying so (a
// timeout, a lost connection, 502 or 504), a Permanent error with a hint
// for the operator when retrying cannot help (channel_not_found,
// not_in_channel ...), a plain error otherwise (server or network
// trouble). No error contains the token.
func (t *Transport) Send(ctx context.Context, m chat.Message) (string, error) {
	if m.Channel == "" {
		return "", chat.Permanent(errors.New("slack: message has no channel"), "give the channel its Slack id in rules.yaml")
	}
	switch m.Kind {
	case chat.KindEdit:
		if m.ThreadID == "" {
			return "", chat.Permanent(errors.New("slack: edit without the ts of the message to edit"), "")
		}
		pages := render(m)
		if len(pages) == 0 {
			return "", chat.Permanent(errors.New("slack: nothing to post"), "the message was empty")
		}
		return t.update(ctx, m.Channel, m.ThreadID, pages[0])
	case chat.KindAlert, chat.KindDigest, chat.KindReply, chat.KindUpdate:
	default:
		return "", chat.Permanent(fmt.Errorf("slack: unknown message kind %q", m.Kind), "")
	}
	p, err := t.partOf(m)
	if err != nil {
		return "", err
	}
	return t.post(ctx, m.Channel, p.thread, m.Key, p.payload)
}

// post calls chat.postMessage and returns the message's ts.
// Specs: https://docs.slack.dev/reference/methods/chat.postMessage
func (t *Transport) post(ctx context.Context, channel, thread, key string, p payload) (string, error) {
	opts := t.msgOptions(p)
	if thread != "" {
		opts = append(opts, slackgo.MsgOptionTS(thread))
	}
	if key != "" {
		opts = append(opts, slackgo.MsgOptionMetadata(slackgo.SlackMetadata{
			EventType: MetadataEventType, EventPayload: map[string]any{metadataKey: key}}))
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
