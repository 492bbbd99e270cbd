package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// ChannelReports is what DeliveryStatus reads.
type ChannelReports interface {
	ChannelStates(ctx context.Context) ([]store.ChannelState, error)
	ChannelBacklogs(ctx context.Context) ([]store.ChannelBacklog, error)
}

// DeliveryStatus returns the lines /status shows about delivery: what is
// wrong with each transport (a refused token, polling that fails), then,
// for each transport and channel that has messages waiting, is paused or
// failed last: how many messages wait and for how long the oldest has,
// until when it is paused, and the last error.
func DeliveryStatus(ctx context.Context, st ChannelReports, h *Health, now time.Time) ([]string, error) {
	var out []string
	for _, p := range h.Problems() {
		out = append(out, p.String())
	}
	states, err := st.ChannelStates(ctx)
	if err != nil {
		return out, fmt.Errorf("reading channel states: %w", err)
	}
	backlog, err := st.ChannelBacklogs(ctx)
	if err != nil {
		return out, fmt.Errorf("reading the outbox backlog: %w", err)
	}
	lines := map[string][]string{}
	for _, b := range backlog {
		k := stateKey(b.Transport, b.Channel)
		lines[k] = append(lines[k], fmt.Sprintf("%d pending, the oldest for %s", b.Pending, age(now.Sub(b.Oldest))))
	}
	for _, s := range states {
		k := stateKey(s.Transport, s.Channel)
		paused := s.PausedUntil.After(now)
		if paused {
			lines[k] = append(lines[k], "paused until "+s.PausedUntil.UTC().Format("15:04:05")+" UTC")
		}
		if s.LastError != "" && (paused || s.Failures > 0 || len(lines[k]) > 0) {
			lines[k] = append(lines[k], fmt.Sprintf("last error at %s UTC: %s", s.UpdatedAt.UTC().Format("15:04:05"), oneLine(s.LastError, 300)))
		}
	}
	keys := make([]string, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	slices.Sort(keys) // "" (the whole transport) and "kind:" before channels
	for _, k := range keys {
		out = append(out, channelName(k)+": "+strings.Join(lines[k], "; ")+".")
	}
	return out, nil
}

// channelName names a state key for people.
func channelName(k string) string {
	transport, channel, _ := strings.Cut(k, "/")
	switch {
	case channel == "":
		return transport + " (every channel)"
	case strings.HasPrefix(channel, "kind:"):
		return transport + " (" + strings.TrimPrefix(channel, "kind:") + " messages in every channel)"
	}
	return k
}

// age writes a duration to the second, or to the minute past an hour.
func age(d time.Duration) string {
	if d >= time.Hour {
		return d.Truncate(time.Minute).String()
	}
	return d.Truncate(time.Second).String()
}

// oneLine puts s on one line, at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
