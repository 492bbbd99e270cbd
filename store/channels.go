package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ChannelState is how delivery to one channel stands: paused after a rate
// limit or an outage, and the last error seen. Channel "" stands for every
// channel of the transport (a refused token); Channel "kind:edit" for one
// kind of message in every channel (a platform's per-method limit).
type ChannelState struct {
	Transport string
	Channel   string
	// PausedUntil: nothing is sent there before it (zero: not paused).
	PausedUntil time.Time
	// Failures counts the failures in a row since the last success; the
	// delivery loop's backoff grows with it.
	Failures  int
	LastError string
	// UpdatedAt is when the state was last set.
	UpdatedAt time.Time
}

// ChannelBacklog is what waits to be sent to one channel.
type ChannelBacklog struct {
	Transport string
	Channel   string
	// Pending counts the rows neither sent nor dead.
	Pending int
	// Oldest is when the oldest of them was enqueued.
	Oldest time.Time
}

// OutboxChannels keeps each channel's delivery health, shared by every
// replica, and sums up each channel's backlog.
type OutboxChannels interface {
	// SetChannelState records the state of s.Transport and s.Channel,
	// replacing the one recorded.
	SetChannelState(ctx context.Context, s ChannelState) error
	// ChannelStates returns every recorded state, by transport and channel.
	ChannelStates(ctx context.Context) ([]ChannelState, error)
	// ChannelBacklogs returns, for every channel with rows neither sent nor
	// dead, how many there are and when the oldest was enqueued, by
	// transport and channel.
	ChannelBacklogs(ctx context.Context) ([]ChannelBacklog, error)
	// ReleaseOutbox returns a row being sent to pending without counting
	// the attempt its claim counted and without changing when it is due,
	// with the error seen: the failure was the channel's (a rate limit, a
	// refused token), not the row's. A row in another state is left as it
	// is; store.ErrNotFound when there is no such row.
	ReleaseOutbox(ctx context.Context, id int64, lastErr string) error
}

// OutcomeUnknownPrefix starts the LastError of a row whose last send may
// or may not have posted it; UnknownOutcome writes such errors and
// ParseUnknownOutcome reads them.
const OutcomeUnknownPrefix = "outcome unknown since "

// InterruptedSend is the reason ResetInflight records for a row it
// returns to pending: its process stopped while sending it.
const InterruptedSend = "the bot stopped while sending"

// UnknownOutcome is the LastError of a row whose send, tried at since,
// ended with an unknown outcome for reason.
func UnknownOutcome(since time.Time, reason string) string {
	return OutcomeUnknownPrefix + strconv.FormatInt(since.UnixMicro(), 10) + ": " + reason
}

// ParseUnknownOutcome reports whether lastErr records an unknown outcome
// and since when.
func ParseUnknownOutcome(lastErr string) (since time.Time, ok bool) {
	rest, ok := strings.CutPrefix(lastErr, OutcomeUnknownPrefix)
	if !ok {
		return time.Time{}, false
	}
	num, _, _ := strings.Cut(rest, ":")
	us, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMicro(us).UTC(), true
}

// IsUnknownOutcome reports whether lastErr records an unknown outcome.
func IsUnknownOutcome(lastErr string) bool {
	_, ok := ParseUnknownOutcome(lastErr)
	return ok
}

// String names the channel for logs and /status.
func (s ChannelState) String() string {
	if s.Channel == "" {
		return s.Transport + " (every channel)"
	}
	return fmt.Sprintf("%s/%s", s.Transport, s.Channel)
}
