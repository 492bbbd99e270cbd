// Package chat is the platform-neutral message model and the Transport
// interface that Slack, Telegram and the console implement. Each transport
// renders a Message in its own markup and splits it to its own limits.
package chat

import (
	"context"
	"errors"
	"time"

	"github.com/wirewatch/wirewatch/internal/redact"
)

// Kind says what a Message is for.
type Kind string

// Message kinds.
const (
	// KindAlert opens a story in a channel.
	KindAlert Kind = "alert"
	// KindUpdate reports later documents of a story, in the alert's thread.
	KindUpdate Kind = "update"
	// KindEdit rewrites the alert (ThreadID) when a copy raises its sources.
	KindEdit Kind = "edit"
	// KindDigest is a scheduled or requested summary.
	KindDigest Kind = "digest"
	// KindReply answers a command.
	KindReply Kind = "reply"
)

// Article is one document as a message shows it.
type Article struct {
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`
	Source    string    `json:"source,omitempty"`
	Published time.Time `json:"published"`
	// DateFromFile marks a Published that came from a file's time.
	DateFromFile bool `json:"date_from_file,omitempty"`
	// Place is the place that matched, e.g. "Qala-i-Naw (Badghis, Afghanistan)".
	Place string `json:"place,omitempty"`
	// Lead is a short extract of the body, plain text.
	Lead string `json:"lead,omitempty"`
}

// Message is one thing to post. Text fields are plain text: every transport
// escapes them for its own markup.
type Message struct {
	Kind Kind `json:"kind"`
	// Channel is the platform's channel or chat id.
	Channel string `json:"channel"`
	// ThreadID is the remote id of the alert: updates reply in its thread,
	// edits rewrite it.
	ThreadID string `json:"thread_id,omitempty"`
	// Heading names the region and rule, e.g. "Badghis · provincial-capital-assault".
	Heading string `json:"heading,omitempty"`
	// Article is the story's lead article (alerts and edits).
	Article *Article `json:"article,omitempty"`
	// Outlets are the distinct sources that carried the story's lead article.
	Outlets []string `json:"outlets,omitempty"`
	// Sources counts the copies of the lead article seen.
	Sources int `json:"sources,omitempty"`
	// Why says what matched: keywords and places.
	Why string `json:"why,omitempty"`
	// Items are further articles (updates, digests, /latest answers).
	Items []Article `json:"items,omitempty"`
	// Text is free text: a reply's body, a digest's intro, a footer.
	Text string `json:"text,omitempty"`
	// Zone is the IANA time zone the message shows times in (UTC when
	// empty): BOT_TIMEZONE for alerts and answers, the subscription's zone
	// for a digest. See Article.When.
	Zone string `json:"zone,omitempty"`
	// InChannel asks a command reply to be visible to the whole channel
	// rather than to the asker alone, where the platform distinguishes.
	InChannel bool `json:"in_channel,omitempty"`
	// Part, when set, is one post of a longer message as the transport's
	// Splitter rendered it: Send posts it as it is (to Channel, under
	// ThreadID) and ignores the fields above but Kind.
	Part Part `json:"part,omitempty"`
	// Key identifies the outbox row being sent. Transports that can find a
	// post again later (Slack's message metadata) attach it, so a send
	// whose outcome is unknown can be reconciled. It is never stored.
	Key string `json:"-"`
	// Controls are an alert's buttons (nil: none).
	Controls *Controls `json:"controls,omitempty"`
}

// Transport posts messages to one chat platform.
type Transport interface {
	// Name is the platform's name, as channels in rules.yaml use it:
	// "slack", "telegram" or "console".
	Name() string
	// Send posts m (or edits m.ThreadID for KindEdit) and returns the remote
	// id of the posted message. Errors that are worth retrying should carry
	// a RetryAfter when the platform gave one; errors that will never
	// succeed should be wrapped with Permanent.
	Send(ctx context.Context, m Message) (remoteID string, err error)
}

// Limit is how fast one channel may be sent to.
type Limit struct {
	// Every is the least time between two messages to the channel.
	Every time.Duration
	// PerWindow messages at most in any Window (0: no window limit).
	PerWindow int
	Window    time.Duration
}

// RateLimiter is implemented by transports whose platform has its own
// per-channel limits (Telegram's 20 a minute in groups, say). The delivery
// loop paces each channel by it; transports without it get the loop's
// default of one message a second.
type RateLimiter interface {
	RateLimit(channel string) Limit
}

// Error classifies a transport error for the delivery loop.
type Error struct {
	// Permanent errors are not retried: the row is dead-lettered.
	Permanent bool
	// Auth marks a refused credential (a revoked or wrong token): nothing
	// sent through the transport can succeed until it works again. Auth
	// errors are also Permanent for callers that do not look further.
	Auth bool
	// Unknown marks a send whose outcome is unknown: the request may have
	// reached the platform, but no answer said what became of it (a
	// timeout, a connection lost after the request was written).
	Unknown bool
	// RetryAfter is the wait the platform asked for, or zero.
	RetryAfter time.Duration
	// AcrossChannels marks a rate limit that holds for this kind of
	// message in every channel of the transport, not only in the one sent
	// to (Slack limits chat.update per workspace).
	AcrossChannels bool
	// Hint tells the operator what to do, e.g. "invite the bot to the channel".
	Hint string
	Err  error
}

func (e *Error) Error() string {
	s := e.Err.Error()
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent marks err as one that retrying will not fix; hint says what the
// operator should do.
func Permanent(err error, hint string) error {
	return &Error{Permanent: true, Hint: hint, Err: err}
}

// RetryAfter marks err as transient with the wait the platform asked for.
func RetryAfter(err error, after time.Duration) error {
	return &Error{RetryAfter: after, Err: err}
}

// AuthFailure marks err as a refused credential; hint says what to do.
func AuthFailure(err error, hint string) error {
	return &Error{Permanent: true, Auth: true, Hint: hint, Err: err}
}

// OutcomeUnknown marks err as a send that may or may not have reached the
// platform.
func OutcomeUnknown(err error) error {
	return &Error{Unknown: true, Err: err}
}

// IsAuthFailure reports whether err, or an error it wraps, is a refused
// credential.
func IsAuthFailure(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Auth
}

// IsOutcomeUnknown reports whether err, or an error it wraps, leaves
// unknown whether the message was posted.
func IsOutcomeUnknown(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Unknown
}

// IsPermanent reports whether err, or an error it wraps, is permanent.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// RetryAfterOf returns the wait the platform asked for in err, if any.
func RetryAfterOf(err error) (time.Duration, bool) {
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		return e.RetryAfter, true
	}
	return 0, false
}

// MenuItem is a command as a platform's command menu lists it (Telegram's
// setMyCommands): its name without the slash, and what it does.
type MenuItem struct {
	Command     string
	Description string
}

// Command is a chat command as a transport received it.
type Command struct {
	// Transport is the platform's name ("slack", "telegram", "console").
	Transport string
	// Channel is the chat or channel id it came from.
	Channel string
	// User is the platform's id of the user who sent it, UserName how
	// that user is shown ("@alice").
	User     string
	UserName string
	// Name is the command without slash or @botname, lower case: "latest".
	Name string
	// Args is the rest of the line, trimmed.
	Args string
}

// Handler answers commands. The reply's Channel is the command's channel.
type Handler interface {
	HandleCommand(ctx context.Context, c Command) Message
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, c Command) Message

// HandleCommand calls f.
func (f HandlerFunc) HandleCommand(ctx context.Context, c Command) Message { return f(ctx, c) }

// Redact masks in s every secret given and the credentials of every URL
// (see package internal/redact). Transports use it on every error that may
// carry a token.
func Redact(s string, secrets ...string) string { return redact.New(secrets...).String(s) }

// RedactError returns err with its message redacted as Redact does, still
// wrapping the original for errors.Is and errors.As.
func RedactError(err error, secrets ...string) error { return redact.New(secrets...).Error(err) }
