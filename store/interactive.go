package store

import (
	"context"
	"crypto/rand"
	"time"
)

// Mutes silence alerts and reports in a channel for a while, and count what
// they kept from it.
type Mutes interface {
	// Mute silences m.Target in m's channel until m.Until. A mute of the
	// same target in the same channel is replaced: it keeps its ID and
	// takes m's Until, Label and author, and CreatedAt is now. Mute returns
	// the mute as stored, with its ID and CreatedAt (the store's clock).
	Mute(ctx context.Context, m Mute) (Mute, error)
	// Mutes returns the mutes still in force at now (Until after now),
	// ordered by transport, channel and target.
	Mutes(ctx context.Context, now time.Time) ([]Mute, error)
	// Unmute lifts mute id of a channel and returns it as it was; it
	// returns ErrNotFound when the channel has no mute with that id. IDs
	// are never reused, so an old "Undo" cannot lift a newer mute.
	Unmute(ctx context.Context, transport, channel string, id int64) (Mute, error)
	// RecordMuted records that a mute kept a report from a channel.
	// Recording the same document of a story in a channel again is a
	// no-op, so reprocessing counts it once.
	RecordMuted(ctx context.Context, r MutedReport) error
	// CountMuted counts, by kind, the reports muted at or after since in
	// one channel, or in every channel when transport is "".
	CountMuted(ctx context.Context, transport, channel string, since time.Time) (map[OutboxKind]int, error)
}

// Follows are users who get a story's later reports privately.
type Follows interface {
	// Follow records that f.User follows f.Story, replacing an earlier
	// follow of that story by that user on that transport.
	Follow(ctx context.Context, f Follow) error
	// Unfollow ends a follow; ErrNotFound when there was none.
	Unfollow(ctx context.Context, transport, user string, story int64) error
	// Followers returns the follows of a story ordered by transport, user.
	Followers(ctx context.Context, story int64) ([]Follow, error)
	// FollowsOf returns a user's follows on a transport, by story.
	FollowsOf(ctx context.Context, transport, user string) ([]Follow, error)
}

// ActionRefs give the buttons of an alert a short id to carry, so that a
// button's data stays within the platform's limit (Telegram's 64 bytes)
// and a press can be checked against the alert it came from.
type ActionRefs interface {
	// PutActionRef returns the ref of (r.Transport, r.Channel, r.Story),
	// creating it with a new random ID, r's other fields and CreatedAt from
	// the store's clock when there is none. Concurrent calls for one alert
	// return the same ref.
	PutActionRef(ctx context.Context, r ActionRef) (ActionRef, error)
	// ActionRef returns the ref with this ID, or ErrNotFound.
	ActionRef(ctx context.Context, id string) (ActionRef, error)
}

// Mute silences alerts and reports in one channel until Until.
type Mute struct {
	ID        int64
	Transport string
	Channel   string
	// Target is what is muted: "story:12", "rule:NAME", "group:AF.02" (a
	// story's group key), "admin1:AF.02", "country:AF", "place:ID",
	// "region:NAME" (a region of rules.yaml), or several of these joined
	// with "&", all of which must hold ("rule:NAME&group:AF.02"). A bare
	// name is compared with the rule and the story's group.
	Target string
	// Label says what is muted for people: "story #12",
	// "provincial-capital-assault in Badghis".
	Label string
	Until time.Time
	// By is the platform's id of who muted, ByName how they are shown.
	By     string
	ByName string
	// CreatedAt is when the mute was made, or last made again: Until less
	// CreatedAt is how long it was muted for.
	CreatedAt time.Time
}

// MutedReport is an alert or a thread report that a mute kept from a
// channel.
type MutedReport struct {
	Transport string
	Channel   string
	Story     int64
	// Doc is the document that was not posted.
	Doc string
	// Kind is OutboxAlert or OutboxUpdate.
	Kind   OutboxKind
	MuteID int64
	At     time.Time
}

// Follow is a user following a story: its later reports go to the user's
// private conversation with the bot.
type Follow struct {
	Transport string
	User      string
	UserName  string
	Story     int64
	// Channel is where the user followed from.
	Channel string
	// Direct is the private channel the reports go to (a Slack DM's id, a
	// Telegram private chat's id).
	Direct    string
	CreatedAt time.Time
}

// ActionRef is what the buttons of one alert in one channel act on.
type ActionRef struct {
	// ID is short, random and unguessable (see NewActionID).
	ID        string
	Transport string
	Channel   string
	Story     int64
	Rule      string
	// Scope is the mute target of the alert's "Mute <rule> in <region>"
	// button, ScopeLabel its label.
	Scope      string
	ScopeLabel string
	CreatedAt  time.Time
}

// actionIDLen is the length of an ActionRef ID: 12 characters of 62
// carry 71 bits.
const actionIDLen = 12

const actionIDChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewActionID returns a new random ActionRef ID: 12 letters and digits.
func NewActionID() string {
	b := make([]byte, actionIDLen)
	for i := range b {
		// rand.Text would do, but its 26 base32 characters are long for
		// Telegram's 64 bytes of callback data.
		var one [1]byte
		for {
			_, _ = rand.Read(one[:]) // never fails (crypto/rand)
			if int(one[0]) < 256-256%len(actionIDChars) {
				break
			}
		}
		b[i] = actionIDChars[int(one[0])%len(actionIDChars)]
	}
	return string(b)
}
