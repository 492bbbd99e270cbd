package chat

import (
	"context"
	"encoding/json"
	"time"
)

// Part is one post of a message, rendered by a Splitter in its
// transport's own encoding (JSON, so it can be stored as it is).
type Part = json.RawMessage

// Splitter is implemented by transports that post a message too long for
// one post as several. The delivery loop renders a message with Split
// when it first sends it, posts the first part with Send, and queues the
// later parts as outbox rows of their own, so that each is paced,
// retried and dead-lettered alone and none is posted twice. Later parts
// are sent with ThreadID set to the remote id of the first part.
type Splitter interface {
	// Split renders m (never an edit) into the posts it takes, in order;
	// at least one. An error is permanent: m cannot be posted.
	Split(m Message) ([]Part, error)
}

// Reconciler is implemented by transports that can tell whether a post
// whose outcome was unknown reached the platform after all.
type Reconciler interface {
	// Find looks for the post of m (by m.Key, under m.ThreadID when set)
	// made at or after since, and returns its remote id when it exists.
	// An error means the question stays open.
	Find(ctx context.Context, m Message, since time.Time) (remoteID string, found bool, err error)
}
