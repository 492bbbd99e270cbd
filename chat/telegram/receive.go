package telegram

import (
	"context"
	"net/http"
)

// Receiver is how the bot gets Telegram's updates: by webhook or by
// polling.
type Receiver struct {
	// Webhook serves POST /telegram/webhook (nil when the bot polls).
	Webhook http.Handler
	// Run receives updates until its context ends.
	Run func(ctx context.Context) error
	// LeaderOnly is true for polling: Telegram serves getUpdates to one
	// poller at a time, so only one replica may run it. A webhook runs in
	// every replica.
	LeaderOnly bool
}

// NewReceiver receives d's updates by webhook at webhookURL when it is set
// (each request checked against secret), else by polling, with the offset
// kept in offsets (each run reads the offset the last one saved). health,
// when set, hears how receiving stands. The error says what is wrong with
// the URL or the secret.
func NewReceiver(d *Dispatcher, webhookURL, secret string, offsets OffsetStore, health func(error)) (Receiver, error) {
	if webhookURL != "" {
		wh, err := NewWebhook(d, webhookURL, secret)
		if err != nil {
			return Receiver{}, err
		}
		wh.Health = health
		return Receiver{Webhook: wh, Run: wh.Run}, nil
	}
	return Receiver{LeaderOnly: true, Run: func(ctx context.Context) error {
		p := &Poller{Dispatcher: d, Offsets: offsets, Timeout: DefaultPollTimeout, Health: health}
		return p.Run(ctx)
	}}, nil
}
