package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

// Lookups of Find: messages per page, and pages at most.
const (
	findPageSize = 200
	findMaxPages = 10
)

// Find looks for the post of m made at or after since, by the outbox key
// (m.Key) in its metadata: in the channel's history (conversations.history)
// for a message of its own, in its thread (conversations.replies) for one
// that goes in a thread. It returns the post's ts when it exists. It reads
// at most 2,000 messages and reports an error, rather than an answer, when
// more were posted since. The bot needs the channels:history scope
// (groups:history for private channels). It implements chat.Reconciler.
//
// Specs: https://docs.slack.dev/reference/methods/conversations.history
// and https://docs.slack.dev/reference/methods/conversations.replies
func (t *Transport) Find(ctx context.Context, m chat.Message, since time.Time) (string, bool, error) {
	if m.Key == "" {
		return "", false, errors.New("slack: find: the message has no key to look for")
	}
	p, err := t.partOf(m)
	if err != nil {
		return "", false, err
	}
	oldest := formatTS(since)
	cursor := ""
	for range findMaxPages {
		var msgs []slackgo.Message
		var next string
		var err error
		method := "conversations.history"
		if p.thread != "" {
			method = "conversations.replies"
			msgs, _, next, err = t.api.GetConversationRepliesContext(ctx, &slackgo.GetConversationRepliesParameters{
				ChannelID: m.Channel, Timestamp: p.thread, Oldest: oldest, Inclusive: true, Limit: findPageSize,
				Cursor: cursor, IncludeAllMetadata: true})
		} else {
			var r *slackgo.GetConversationHistoryResponse
			r, err = t.api.GetConversationHistoryContext(ctx, &slackgo.GetConversationHistoryParameters{
				ChannelID: m.Channel, Oldest: oldest, Inclusive: true, Limit: findPageSize, Cursor: cursor,
				IncludeAllMetadata: true})
			if r != nil {
				msgs, next = r.Messages, r.ResponseMetaData.NextCursor
			}
		}
		if err != nil {
			return "", false, classify(method, err, t.token)
		}
		for _, msg := range msgs {
			if carries(msg, m.Key) {
				return msg.Timestamp, true, nil
			}
		}
		if next == "" {
			return "", false, nil
		}
		cursor = next
	}
	return "", false, fmt.Errorf("slack: find: more than %d messages in %s since %s; could not tell", findPageSize*findMaxPages, m.Channel, since.UTC().Format(time.RFC3339))
}

// carries reports whether msg's metadata holds the outbox key.
func carries(msg slackgo.Message, key string) bool {
	md := msg.Metadata
	if md.EventType != MetadataEventType {
		return false
	}
	switch v := md.EventPayload[metadataKey].(type) {
	case string:
		return v == key
	case json.RawMessage:
		var s string
		return json.Unmarshal(v, &s) == nil && s == key
	}
	return false
}

// formatTS writes a time as a Slack timestamp ("1625731200.000100").
func formatTS(t time.Time) string {
	us := t.UnixMicro()
	return strconv.FormatInt(us/1_000_000, 10) + "." + fmt.Sprintf("%06d", us%1_000_000)
}
