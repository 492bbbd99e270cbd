package chat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Controls are the buttons of an alert: what readers can do about the
// story from the message itself. Each transport lays them out its own way:
// Slack as Block Kit actions, Telegram as an inline keyboard, the console as
// the commands to type.
type Controls struct {
	// Ref is the short id that the alert's buttons carry (see ActionData).
	Ref string
	// Story is the story's number, as its alert shows it.
	Story int64
	// Scope names what "Mute <scope>" silences besides the story, e.g.
	// "provincial-capital-assault in Badghis".
	Scope string
	// ScopeCommand is the same scope as /mute takes it, e.g.
	// "provincial-capital-assault in badghis".
	ScopeCommand string
	// Muted is the story's mute in force in this channel, when there is
	// one: the buttons then offer to undo it.
	Muted *MuteNote
}

// MuteNote says how an alert is muted.
type MuteNote struct {
	// ID is the mute's number, which /unmute and "Undo" take.
	ID int64
	// What was muted: "story #12", "provincial-capital-assault in Badghis".
	What string
	// For is how long it was muted for: "6h", "1d".
	For string
	// By is who muted it, as shown to people: "@alice".
	By    string
	Until time.Time
}

// Status is the one line an alert shows for its mute, with the time in
// zone (see At): "Muted 6h by @alice (until 2021-07-07 18:00 UTC)".
func (n MuteNote) Status(zone string) string {
	s := "Muted"
	if n.What != "" && !strings.HasPrefix(n.What, "story ") {
		s += " (" + n.What + ")"
	}
	if n.For != "" {
		s += " " + n.For
	}
	if n.By != "" {
		s += " by " + n.By
	}
	return s + " (until " + At(n.Until, zone) + ")"
}

// Verbs of the alert buttons, as ActionData carries them.
const (
	// VerbMuteStory mutes the story here; Arg is a duration of MuteDurations.
	VerbMuteStory = "ms"
	// VerbMuteScope mutes the alert's rule in its region here; Arg is a
	// duration of MuteDurations.
	VerbMuteScope = "mr"
	// VerbUnmute lifts a mute; Arg is its ID.
	VerbUnmute = "um"
	// VerbWhy explains why the story alerted.
	VerbWhy = "wy"
	// VerbFollow sends the story's later reports to the presser privately.
	VerbFollow = "fo"
	// VerbMenu opens the choice of durations (Telegram); Arg is "s" for the
	// story's mute, "r" for the scope's.
	VerbMenu = "mn"
	// VerbBack closes the choice of durations (Telegram).
	VerbBack = "bk"
)

// Arguments of VerbMenu.
const (
	MenuStory = "s"
	MenuScope = "r"
)

// MuteDurations are the durations the mute buttons offer.
var MuteDurations = []string{"1h", "6h", "1d", "1w"}

// MaxActionData is the most bytes a button's data may take: Telegram's
// limit on callback_data (Slack allows 2000 in a value).
const MaxActionData = 64

// ActionData is what one button carries: a verb, the alert's Ref and an
// argument, written "verb:ref:arg" ("ms:Ab3dEf9hJk2L:6h").
type ActionData struct {
	Verb string
	Ref  string
	Arg  string
}

// String writes d as buttons carry it.
func (d ActionData) String() string {
	s := d.Verb + ":" + d.Ref
	if d.Arg != "" {
		s += ":" + d.Arg
	}
	return s
}

// ErrBadActionData is wrapped by the errors of ParseActionData.
var ErrBadActionData = errors.New("chat: not an alert button's data")

var verbs = map[string]bool{VerbMuteStory: true, VerbMuteScope: true, VerbUnmute: true, VerbWhy: true,
	VerbFollow: true, VerbMenu: true, VerbBack: true}

// ParseActionData reads what String wrote. Anything else (an unknown
// verb, a ref or argument with other characters than ASCII letters and
// digits, more than MaxActionData bytes) is an error wrapping
// ErrBadActionData.
func ParseActionData(s string) (ActionData, error) {
	if len(s) > MaxActionData {
		return ActionData{}, fmt.Errorf("%w: %d bytes", ErrBadActionData, len(s))
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return ActionData{}, fmt.Errorf("%w: %q", ErrBadActionData, s)
	}
	d := ActionData{Verb: parts[0], Ref: parts[1]}
	if len(parts) == 3 {
		d.Arg = parts[2]
		if d.Arg == "" {
			return ActionData{}, fmt.Errorf("%w: empty argument in %q", ErrBadActionData, s)
		}
	}
	if !verbs[d.Verb] {
		return ActionData{}, fmt.Errorf("%w: unknown verb in %q", ErrBadActionData, s)
	}
	if d.Ref == "" || !alnum(d.Ref) || !alnum(d.Arg) {
		return ActionData{}, fmt.Errorf("%w: %q", ErrBadActionData, s)
	}
	return d, nil
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Action is a press of an alert's button, as a transport received it.
type Action struct {
	// Transport is the platform's name ("slack", "telegram").
	Transport string
	// Channel is the chat or channel the message with the button is in.
	Channel string
	// User is the platform's id of who pressed; UserName how they are
	// shown ("@alice").
	User     string
	UserName string
	// MessageID is the remote id of the message the button is on (a Slack
	// ts, a Telegram message_id).
	MessageID string
	// Data is what the button carried.
	Data ActionData
}

// ActionReply is the bot's answer to a press.
type ActionReply struct {
	// Text is the answer to the one who pressed (a Telegram notification,
	// a Slack message only they see). It is never empty.
	Text string
	// Refused is true when nothing changed because the presser may not do
	// this or the button is not valid here.
	Refused bool
	// Alert is the alert as it should look now, when the press changed it
	// (its Controls in particular); nil otherwise.
	Alert *Message
}

// ActionHandler answers button presses.
type ActionHandler interface {
	HandleAction(ctx context.Context, a Action) ActionReply
}

// ActionHandlerFunc adapts a function to ActionHandler.
type ActionHandlerFunc func(ctx context.Context, a Action) ActionReply

// HandleAction calls f.
func (f ActionHandlerFunc) HandleAction(ctx context.Context, a Action) ActionReply { return f(ctx, a) }

// DirectMessenger is implemented by transports that can write to a user
// privately: Slack opens a direct message with conversations.open, Telegram
// writes to the user's private chat with the bot.
type DirectMessenger interface {
	// OpenDirect returns the channel of user's private conversation with
	// the bot, after posting intro there (when not empty). When the
	// platform does not let the bot write to the user it returns a
	// *NoDirectError saying what the user can do.
	OpenDirect(ctx context.Context, user, intro string) (channel string, err error)
}

// NoDirectError means the bot may not write to a user privately; Hint tells
// the user what to do about it.
type NoDirectError struct {
	Hint string
	Err  error
}

func (e *NoDirectError) Error() string { return e.Hint + ": " + e.Err.Error() }

func (e *NoDirectError) Unwrap() error { return e.Err }

// Authorizer is implemented by transports that decide who in a channel may
// change what the bot does there (mute and unmute). Without one, anyone
// in the channel may.
type Authorizer interface {
	// MayAct reports whether user may change the bot's settings in channel.
	MayAct(ctx context.Context, channel, user string) (bool, error)
}
