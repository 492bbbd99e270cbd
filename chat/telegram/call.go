package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// SleepFunc waits for d, or until ctx is done and then returns ctx.Err().
// Tests inject one so that nothing waits on the wall clock.
type SleepFunc func(ctx context.Context, d time.Duration) error

// Sleep is the SleepFunc of the real clock.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ctxDoer gives the library's context-free requests a context: the library
// builds requests with http.NewRequest, so cancellation and deadlines come
// from here.
type ctxDoer struct {
	ctx    context.Context
	client *http.Client
	// status, when set, receives the HTTP status of the answer, which the
	// library drops when the body is not the Bot API's JSON.
	status *int
}

func (d ctxDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.client.Do(req.WithContext(d.ctx))
	if err == nil && d.status != nil {
		*d.status = resp.StatusCode
	}
	return resp, err
}

// call runs f with a copy of the bot whose requests carry ctx and end after
// timeout, and classifies the error f returns. The copy keeps concurrent
// calls with different contexts apart.
func (t *Transport) call(ctx context.Context, method string, timeout time.Duration, f func(b *tgbotapi.BotAPI) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b := *t.bot
	var status int
	b.Client = ctxDoer{ctx: ctx, client: t.client, status: &status}
	if err := f(&b); err != nil {
		if _, api := apiError(err); !api && (status == http.StatusBadGateway || status == http.StatusGatewayTimeout) {
			// A gateway's own page: it gave up waiting, Telegram may have posted.
			return chat.OutcomeUnknown(chat.RedactError(fmt.Errorf("telegram %s: HTTP %d: %w", method, status, err), t.secrets...))
		}
		return t.classify(method, err)
	}
	return nil
}

// request calls a Bot API method with raw parameters (for what v5.5.1 has
// no config for) and returns its result.
func (t *Transport) request(ctx context.Context, method string, p tgbotapi.Params) (json.RawMessage, error) {
	var res json.RawMessage
	err := t.call(ctx, method, t.timeout, func(b *tgbotapi.BotAPI) error {
		r, err := b.MakeRequest(method, p)
		if err != nil {
			return err
		}
		res = r.Result
		return nil
	})
	return res, err
}

// backoff is the wait before retry n (from 1) after an error without
// retry_after: 1s, 2s, 4s ... up to limit.
func backoff(n int, limit time.Duration) time.Duration {
	d := time.Second
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}
