package slack

import (
	"encoding/json"
	"errors"
	"fmt"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

// Message metadata that every post carries, so that a post whose answer
// was lost can be found again (see Find).
// Specs: https://docs.slack.dev/messaging/message-metadata
const (
	// MetadataEventType is the metadata's event_type.
	MetadataEventType = "wirewatch_outbox"
	// metadataKey names the outbox key in the event_payload.
	metadataKey = "key"
)

// encodedPart is a chat.Part of Slack's: one message, and the thread it
// goes in when that is known when it is rendered (an update's thread).
type encodedPart struct {
	Text     string          `json:"text"`
	Blocks   []slackgo.Block `json:"blocks"`
	ThreadTS string          `json:"thread_ts,omitempty"`
}

type decodedPart struct {
	Text     string         `json:"text"`
	Blocks   slackgo.Blocks `json:"blocks"`
	ThreadTS string         `json:"thread_ts,omitempty"`
}

// part is one message to post and its thread.
type part struct {
	payload payload
	thread  string
}

// Split lays m out as Block Kit messages of at most 50 blocks: digests and
// updates continue over up to five messages, the later ones in the thread
// (the alert's thread for an update, the first message's otherwise);
// other kinds are one message, cut with "… N more" when their items do
// not fit. It implements chat.Splitter.
func (t *Transport) Split(m chat.Message) ([]chat.Part, error) {
	pages := render(m)
	if len(pages) == 0 {
		return nil, chat.Permanent(errors.New("slack: nothing to post"), "the message was empty")
	}
	thread := ""
	if m.Kind == chat.KindUpdate {
		thread = m.ThreadID
	}
	out := make([]chat.Part, len(pages))
	for i, p := range pages {
		b, err := json.Marshal(encodedPart{Text: p.Text, Blocks: p.Blocks, ThreadTS: thread})
		if err != nil {
			return nil, chat.Permanent(fmt.Errorf("slack: encoding part %d: %w", i+1, err), "report this as a bug")
		}
		out[i] = b
	}
	return out, nil
}

// partOf returns what Send posts for m: its Part, or the first page of its
// rendering.
func (t *Transport) partOf(m chat.Message) (part, error) {
	thread := m.ThreadID
	if len(m.Part) == 0 {
		pages := render(m)
		if len(pages) == 0 {
			return part{}, chat.Permanent(errors.New("slack: nothing to post"), "the message was empty")
		}
		if m.Kind != chat.KindUpdate {
			thread = ""
		}
		return part{payload: pages[0], thread: thread}, nil
	}
	var d decodedPart
	if err := json.Unmarshal(m.Part, &d); err != nil {
		return part{}, chat.Permanent(fmt.Errorf("slack: a message part for %s is not a Slack message: %w", m.Channel, err), "report this as a bug")
	}
	if d.ThreadTS != "" {
		thread = d.ThreadTS
	}
	return part{payload: payload{Text: d.Text, Blocks: d.Blocks.BlockSet}, thread: thread}, nil
}
