package store

import (
	"time"

	"github.com/wirewatch/wirewatch/corpus"
)

// FileState is what the directory source remembers of a file so it never
// re-reads one that did not change.
type FileState struct {
	Path    string
	Size    int64
	ModTime time.Time
	// DocID is the document the file held ("" when it was skipped).
	DocID string
	// Skipped says why the file was not read ("" when it was).
	Skipped string
}

// RegionFilter selects documents by the places they name. A document
// matches when any of its regions has one of the PlaceIDs, Admin1 codes or
// Countries.
type RegionFilter struct {
	PlaceIDs  []int64
	Admin1    []string
	Countries []string
}

// Hit is a document found by Latest or Search.
type Hit struct {
	Doc corpus.Document
	// Place is the place that matched the query ("" for word searches).
	Place string
}

// Story is a group of documents about one event for one rule.
type Story struct {
	ID        int64
	Rule      string
	Key       string
	KeyName   string
	First     time.Time
	Last      time.Time
	CreatedAt time.Time
	// Lead is the document that opened the story ("" for a story made
	// with CreateStory without one). A story is unique by (Rule, Key,
	// Lead).
	Lead string
}

// StoryMember is a document in a story.
type StoryMember struct {
	DocID     string
	Published time.Time
	// CopyOf is the original when the document is a near-copy.
	CopyOf string
}

// OutboxState is where an outbox row stands.
type OutboxState string

// Outbox states.
const (
	Pending OutboxState = "pending"
	Sending OutboxState = "sending"
	Sent    OutboxState = "sent"
	Dead    OutboxState = "dead"
)

// OutboxKind says what an outbox row carries.
type OutboxKind string

// Outbox kinds.
const (
	// OutboxAlert opens a story in a channel.
	OutboxAlert OutboxKind = "alert"
	// OutboxUpdate reports later documents of a story in the alert's thread.
	OutboxUpdate OutboxKind = "update"
	// OutboxEdit rewrites the message that carries a copy's original.
	OutboxEdit OutboxKind = "edit"
	// OutboxDigest is a digest; its payload is the complete chat.Message.
	OutboxDigest OutboxKind = "digest"
	// OutboxPart is a later part of a message too long for one post; its
	// payload is the chat.Message with the part as the transport rendered
	// it, and its parent is the row of the first part.
	OutboxPart OutboxKind = "part"
)

// OutboxRow is one message to deliver.
type OutboxRow struct {
	ID int64
	// Key is unique: (kind, rule, story, channel, ...) so a decision is
	// never enqueued twice.
	Key string
	// Transport and Channel say where: "slack" and "C0123".
	Transport string
	Channel   string
	Kind      OutboxKind
	// StoryID is the story the row belongs to (0 for digests and replies).
	// The later parts of a message (OutboxPart) carry the negated ID of
	// the row of its first part: they queue by themselves, right behind it.
	StoryID int64
	// ParentKey is the key of the row whose RemoteID this row threads
	// under or edits ("" for none).
	ParentKey string
	// Payload is the JSON of the chat.Message to send.
	Payload   []byte
	State     OutboxState
	Attempts  int
	Due       time.Time
	RemoteID  string
	LastError string
	CreatedAt time.Time
	SentAt    time.Time
}

// Backlog is what waits in the outbox for one transport.
type Backlog struct {
	// Waiting counts the rows pending or being sent, due or not.
	Waiting int
	// OldestDue is the earliest time from which a row due by now could
	// have been sent (the later of its enqueue and due times); zero when
	// no row is due.
	OldestDue time.Time
}

// Subscription is a channel's subscription to a digest.
type Subscription struct {
	Digest    string
	Transport string
	Channel   string
	// At is the local time "HH:MM" and Timezone its IANA zone.
	At       string
	Timezone string
}
