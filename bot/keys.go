package bot

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Dest is one place a channel of rules.yaml posts to.
type Dest struct {
	// Transport is "slack", "telegram" or "console".
	Transport string
	// Channel is the platform's channel or chat id.
	Channel string
	// Name is the channel's name in rules.yaml.
	Name string
}

func (d Dest) String() string { return d.Transport + "/" + d.Channel }

// ref is the payload of an alert, update or edit row: which story and
// documents it carries. The message itself is rendered when the row is
// sent, from the store, so it always shows the latest copy counts.
type ref struct {
	Rule  string   `json:"rule"`
	Story int64    `json:"story"`
	Docs  []string `json:"docs,omitempty"`
	// Carrier is, for an edit, the key of the row whose message it rewrites.
	Carrier string `json:"carrier,omitempty"`
}

func (r ref) encode() []byte {
	b, err := json.Marshal(r)
	if err != nil {
		panic(fmt.Sprintf("bot: encoding ref: %v", err)) // plain struct: cannot fail
	}
	return b
}

func decodeRef(b []byte) (ref, error) {
	var r ref
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("decoding outbox payload: %w", err)
	}
	return r, nil
}

func storyPart(story int64) string { return strconv.FormatInt(story, 10) }

func alertKey(story int64, d Dest) string {
	return "alert/" + storyPart(story) + "/" + d.String()
}

func updateKey(story int64, d Dest, firstDoc string) string {
	return "update/" + storyPart(story) + "/" + d.String() + "/" + firstDoc
}

func editKey(story int64, d Dest, copyDoc string) string {
	return "edit/" + storyPart(story) + "/" + d.String() + "/" + copyDoc
}

// carrierState names the state entry recording which row carries a
// document to a destination.
func carrierState(story int64, d Dest, doc string) string {
	return "carrier/" + storyPart(story) + "/" + d.String() + "/" + doc
}

// openUpdateState names the state entry holding the key of the latest
// update row of a story in a destination.
func openUpdateState(story int64, d Dest) string {
	return "open-update/" + storyPart(story) + "/" + d.String()
}
