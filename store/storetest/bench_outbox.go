package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// Backlog of benchOutboxBacklog: rows waiting in many channels and
// stories, as after an outage of a platform.
const (
	backlogChannels = 20
	backlogStories  = 250
	backlogRows     = 5_000
)

// benchOutboxBacklog measures OutboxHeads with 5,000 rows waiting over 20
// channels and 250 stories a channel: what one delivery pass asks while a
// platform comes back from an outage.
func benchOutboxBacklog(b *testing.B, open func(b *testing.B) store.Store) {
	s := open(b)
	ctx := b.Context()
	now := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	payload := []byte(`{"rule":"provincial-capital-assault","story":1,"docs":["e6838cd641e1a9de"]}`)
	for i := range backlogRows {
		ch := fmt.Sprintf("C%02d", i%backlogChannels)
		story := int64(1 + (i/backlogChannels)%backlogStories)
		if _, err := s.Enqueue(ctx, store.OutboxRow{Key: fmt.Sprintf("update/%d/slack/%s/%d", story, ch, i),
			Transport: "slack", Channel: ch, Kind: "update", StoryID: story, Payload: payload,
			Due: now.Add(-time.Duration(backlogRows-i) * time.Second)}); err != nil {
			b.Fatal(err)
		}
	}
	if a, ok := s.(analyzer); ok {
		if err := a.Analyze(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		heads, err := s.OutboxHeads(ctx, now, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(heads) == 0 {
			b.Fatal("no heads")
		}
	}
}
