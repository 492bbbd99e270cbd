package chattest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"unicode/utf8"
)

// Limits the fake enforces, as Slack documents them.
// Specs: https://docs.slack.dev/reference/block-kit/blocks
const (
	slackMaxBlocks          = 50
	slackMaxSectionText     = 3000
	slackMaxHeaderText      = 150
	slackMaxContextElements = 10
	slackMaxMessageText     = 40000
)

// postMessage answers chat.postMessage.
// Specs: https://docs.slack.dev/reference/methods/chat.postMessage
func (s *SlackServer) postMessage(p url.Values) map[string]any {
	channel := p.Get("channel")
	if channel == "" {
		return slackError("channel_not_found")
	}
	if code, detail := checkContent(p); code != "" {
		return slackError(code, detail...)
	}
	md, ok := checkMetadata(p.Get("metadata"))
	if !ok {
		return slackError("invalid_metadata_format")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &SlackMessage{
		Channel:  channel,
		TS:       s.nextTSLocked(),
		ThreadTS: p.Get("thread_ts"),
		Text:     p.Get("text"),
		Blocks:   json.RawMessage(p.Get("blocks")),
		Metadata: md,
	}
	s.messages = append(s.messages, m)
	return map[string]any{"ok": true, "channel": channel, "ts": m.TS, "message": messageJSON(m)}
}

// update answers chat.update.
// Specs: https://docs.slack.dev/reference/methods/chat.update
func (s *SlackServer) update(p url.Values) map[string]any {
	channel, ts := p.Get("channel"), p.Get("ts")
	if channel == "" {
		return slackError("channel_not_found")
	}
	if code, detail := checkContent(p); code != "" {
		return slackError(code, detail...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.findLocked(channel, ts)
	if m == nil {
		return slackError("message_not_found")
	}
	m.Text = p.Get("text")
	if b := p.Get("blocks"); b != "" {
		m.Blocks = json.RawMessage(b)
	}
	m.Updates++
	return map[string]any{"ok": true, "channel": channel, "ts": ts, "text": m.Text, "message": messageJSON(m)}
}

func messageJSON(m *SlackMessage) map[string]any {
	out := map[string]any{"type": "message", "text": m.Text, "ts": m.TS, "bot_id": "B0WIREWATCH"}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	return out
}

// nextTSLocked returns a ts for a new message: the server's clock, to the
// microsecond, later than every ts given before. s.mu must be held.
func (s *SlackServer) nextTSLocked() string {
	us := max(s.now().UnixMicro(), s.lastTS+1)
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1_000_000, us%1_000_000)
}

// checkMetadata checks a message's metadata parameter: "" for none, or an
// object with an event_type and an event_payload object.
// Specs: https://docs.slack.dev/messaging/message-metadata
func checkMetadata(raw string) (json.RawMessage, bool) {
	if raw == "" {
		return nil, true
	}
	var md struct {
		EventType    string          `json:"event_type"`
		EventPayload json.RawMessage `json:"event_payload"`
	}
	if json.Unmarshal([]byte(raw), &md) != nil || md.EventType == "" || len(md.EventPayload) == 0 || md.EventPayload[0] != '{' {
		return nil, false
	}
	return json.RawMessage(raw), true
}

// checkContent returns the error code Slack gives a message's text and blocks,
// or "" when they are acceptable.
func checkContent(p url.Values) (string, []string) {
	text, blocks := p.Get("text"), p.Get("blocks")
	if text == "" && (blocks == "" || blocks == "[]") {
		return "no_text", nil
	}
	if utf8.RuneCountInString(text) > slackMaxMessageText {
		return "msg_too_long", nil
	}
	if blocks == "" {
		return "", nil
	}
	if problem := checkBlocks(blocks); problem != "" {
		return "invalid_blocks", []string{problem}
	}
	return "", nil
}

// checkBlocks returns what is wrong with a JSON array of blocks, or "".
func checkBlocks(raw string) string {
	var blocks []slackBlock
	if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
		return "blocks are not a JSON array of objects"
	}
	if len(blocks) > slackMaxBlocks {
		return fmt.Sprintf("no more than %d items allowed [json-pointer:/blocks]", slackMaxBlocks)
	}
	actionIDs := map[string]bool{}
	for i, b := range blocks {
		at := fmt.Sprintf(" [json-pointer:/blocks/%d]", i)
		if len(b.BlockID) > slackMaxID {
			return fmt.Sprintf("block_id must be less than %d characters", slackMaxID+1) + at
		}
		if p := b.check(actionIDs); p != "" {
			return p + at
		}
	}
	return ""
}

// slackBlock is a block of a message, as far as the fake checks it.
type slackBlock struct {
	Type     string            `json:"type"`
	BlockID  string            `json:"block_id"`
	Text     *slackText        `json:"text"`
	Elements []json.RawMessage `json:"elements"`
	Fields   json.RawMessage   `json:"fields"`
}

func (b slackBlock) check(actionIDs map[string]bool) string {
	switch b.Type {
	case "header":
		if b.Text == nil || b.Text.Type != "plain_text" {
			return "header needs plain_text"
		}
		return b.Text.check(slackMaxHeaderText)
	case "section":
		if b.Text == nil && len(b.Fields) == 0 {
			return "section needs text or fields"
		}
		if b.Text != nil {
			return b.Text.check(slackMaxSectionText)
		}
	case "context":
		if len(b.Elements) == 0 || len(b.Elements) > slackMaxContextElements {
			return fmt.Sprintf("context needs 1 to %d elements", slackMaxContextElements)
		}
		for _, raw := range b.Elements {
			var e slackText
			if json.Unmarshal(raw, &e) != nil {
				return "context elements must be text objects"
			}
			if p := e.check(slackMaxSectionText); p != "" {
				return p
			}
		}
	case "actions":
		return checkActions(b.Elements, actionIDs)
	case "divider":
	default:
		return fmt.Sprintf("unsupported block type %q", b.Type)
	}
	return ""
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

func (t slackText) check(max int) string {
	if t.Type != "plain_text" && t.Type != "mrkdwn" {
		return fmt.Sprintf("unknown text type %q", t.Type)
	}
	n := utf8.RuneCountInString(t.Text)
	if n == 0 {
		return "text must be at least 1 character"
	}
	if n > max {
		return fmt.Sprintf("must be less than %d characters", max+1)
	}
	return ""
}
