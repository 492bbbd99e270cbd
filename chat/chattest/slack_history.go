package chattest

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// history answers conversations.history: the channel's messages, not the
// replies in threads, newest first, in (oldest, latest] ([oldest, latest]
// when inclusive), at most limit (default 100, at most 999) a page.
// Metadata is included only with include_all_metadata.
// Specs: https://docs.slack.dev/reference/methods/conversations.history
func (s *SlackServer) history(p url.Values) map[string]any {
	channel := p.Get("channel")
	if channel == "" {
		return slackError("channel_not_found")
	}
	s.mu.Lock()
	var msgs []SlackMessage
	for _, m := range s.messages {
		if m.Channel == channel && (m.ThreadTS == "" || m.ThreadTS == m.TS) {
			msgs = append(msgs, *m)
		}
	}
	s.mu.Unlock()
	slices.Reverse(msgs)
	return s.page(p, msgs, nil)
}

// replies answers conversations.replies: the message ts and then the
// replies in its thread, oldest first, those in the time range as for
// history. ts must be a message of the channel.
// Specs: https://docs.slack.dev/reference/methods/conversations.replies
func (s *SlackServer) replies(p url.Values) map[string]any {
	channel, ts := p.Get("channel"), p.Get("ts")
	if channel == "" {
		return slackError("channel_not_found")
	}
	s.mu.Lock()
	parent := s.findLocked(channel, ts)
	var msgs []SlackMessage
	if parent != nil {
		for _, m := range s.messages {
			if m.Channel == channel && m.ThreadTS == ts && m.TS != ts {
				msgs = append(msgs, *m)
			}
		}
	}
	s.mu.Unlock()
	if parent == nil {
		return slackError("thread_not_found")
	}
	return s.page(p, msgs, parent)
}

// page answers one page of msgs, which are in the order to list them;
// first, when set, leads the first page whatever the range.
func (s *SlackServer) page(p url.Values, msgs []SlackMessage, first *SlackMessage) map[string]any {
	limit := 100
	if v := p.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return slackError("invalid_limit")
		}
		if n > 0 {
			limit = min(n, 999)
		}
	}
	offset := 0
	if c := p.Get("cursor"); c != "" {
		b, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			return slackError("invalid_cursor")
		}
		n, ok := strings.CutPrefix(string(b), "offset:")
		if offset, err = strconv.Atoi(n); err != nil || !ok || offset < 0 {
			return slackError("invalid_cursor")
		}
	}
	inRange := msgs[:0:0]
	for _, m := range msgs {
		if tsInRange(m.TS, p.Get("oldest"), p.Get("latest"), truthy(p.Get("inclusive"))) {
			inRange = append(inRange, m)
		}
	}
	withMeta := truthy(p.Get("include_all_metadata"))
	out := []map[string]any{}
	if first != nil && offset == 0 {
		out = append(out, historyJSON(first, withMeta))
	}
	end := min(offset+limit, len(inRange))
	for i := min(offset, end); i < end; i++ {
		out = append(out, historyJSON(&inRange[i], withMeta))
	}
	next := ""
	if end < len(inRange) {
		next = base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
	}
	return map[string]any{"ok": true, "messages": out, "has_more": next != "", "pin_count": 0,
		"response_metadata": map[string]any{"next_cursor": next}}
}

// historyJSON is m as conversations.history and .replies list it.
func historyJSON(m *SlackMessage, withMeta bool) map[string]any {
	out := messageJSON(m)
	if len(m.Blocks) > 0 {
		out["blocks"] = m.Blocks
	}
	if withMeta && len(m.Metadata) > 0 {
		out["metadata"] = json.RawMessage(m.Metadata)
	}
	return out
}

// tsInRange reports whether ts lies after oldest and up to latest (either
// "" for no bound), or on a bound when inclusive.
func tsInRange(ts, oldest, latest string, inclusive bool) bool {
	t := tsMicros(ts)
	if oldest != "" {
		if o := tsMicros(oldest); t < o || t == o && !inclusive {
			return false
		}
	}
	if latest != "" {
		if l := tsMicros(latest); t > l || t == l && !inclusive {
			return false
		}
	}
	return true
}

// tsMicros reads a Slack ts ("1625731200.000100") as microseconds.
func tsMicros(ts string) int64 {
	sec, frac, _ := strings.Cut(ts, ".")
	s, _ := strconv.ParseInt(sec, 10, 64)
	frac = (frac + "000000")[:6]
	us, _ := strconv.ParseInt(frac, 10, 64)
	return s*1_000_000 + us
}

func truthy(v string) bool { return v == "1" || strings.EqualFold(v, "true") }
