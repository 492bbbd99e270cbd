package bot

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/store"
)

// failOnceRenderer fails its second render (the attempt after a late
// answer) while fails is above zero.
type failOnceRenderer struct {
	payloadRenderer
	fails int
	calls int
}

func (r *failOnceRenderer) Render(ctx context.Context, row store.OutboxRow) (chat.Message, error) {
	r.calls++
	if r.calls == 2 && r.fails > 0 { // the attempt after the late answer
		r.fails--
		return chat.Message{}, errors.New("transient read failure")
	}
	return r.payloadRenderer.Render(ctx, row)
}

// TestUnknownOutcomeSurvivesARetry: a post answered after the client's
// timeout (so its outcome is unknown), then a render failure on the next
// attempt: the attempt after that still looks the message up, and the
// alert is posted once.
func TestUnknownOutcomeSurvivesARetry(t *testing.T) {
	api := chattest.NewSlackServer(t)
	clock := newFakeClock()
	st := openTestStore(t, clock)
	r := &failOnceRenderer{fails: 1}
	d := realDeliverer(st, clock, r, newSlack(t, api, clock))
	d.SendTimeout = 300 * time.Millisecond
	api.FailNext("chat.postMessage", 1, chattest.SlackFailure{Late: true})
	enqueueMsg(t, st, "alert/1", "slack", "C1", "", chat.Message{Kind: chat.KindAlert, Heading: "h",
		Article: &items("Lead", 1)[0], Sources: 1})
	drain(t, d, st, clock, 500)
	if r.fails != 0 {
		t.Fatalf("the render failure was not reached (%d renders)", r.calls)
	}
	if n := len(api.Messages("C1")); n != 1 {
		t.Errorf("%d messages, want 1 (posted again without looking first)", n)
	}
}
