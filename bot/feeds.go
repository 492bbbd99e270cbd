package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/internal/redact"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// FeedSource is one RSS/Atom feed of rules.yaml: fetched every Interval,
// each fetch bounded by the feed's timeout. Its items are stored in
// batches through Ingest; its conditional-GET state lives in the store,
// written once the items before it are stored.
type FeedSource struct {
	Feed     *corpus.FeedSource
	Ingest   *Ingester
	Interval time.Duration
	// Label names the feed in /status, logs and metrics: its name in
	// rules.yaml, or its host and path (never its query, which may hold a
	// token).
	Label string
}

// NewFeedSource builds the feed f of rules.yaml, storing its items and
// keeping its state in st.
func NewFeedSource(f rules.Feed, st IngestStore, clock Clock) *FeedSource {
	in := &Ingester{Store: st}
	return &FeedSource{
		Feed: &corpus.FeedSource{URL: f.URL, Name: f.Name, State: FeedStates{Store: st, Sync: in.Sync}, Now: clock.Now,
			Timeout: time.Duration(f.Timeout), AllowPrivate: f.PrivateNetwork},
		Ingest:   in,
		Interval: time.Duration(f.Interval),
		Label:    feedLabel(f.Name, f.URL),
	}
}

// feedLabel is a feed's name, or its URL without credentials or query.
func feedLabel(name, rawURL string) string {
	if name != "" {
		return name
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "feed"
	}
	return u.Host + u.Path
}

// Name is "feed:" and the label.
func (f *FeedSource) Name() string { return "feed:" + f.Label }

// Scan fetches the feed and hands over its items. Scan records the feed's
// ETag only after fn took every item, so a failure never loses items. A
// feed refused for its address says how to allow it.
func (f *FeedSource) Scan(ctx context.Context, fn corpus.Handler) error {
	// Errors name the URL they fetched: its credentials are masked here,
	// so logs, /status and metrics never carry them.
	err := redact.Err(f.Feed.Scan(ctx, fn))
	if errors.Is(err, corpus.ErrPrivateAddress) {
		return fmt.Errorf("feed %s: %w (a feed on a private network needs private_network: true in rules.yaml)", f.Label, err)
	}
	if err != nil {
		return fmt.Errorf("feed %s: %w", f.Label, err)
	}
	return nil
}

// FeedStates keeps feed conditional-GET state in a store. With Sync set,
// a new state is written only after Sync made the items handed over before
// it durable, so a crash never records a feed as read without its items.
type FeedStates struct {
	Store store.State
	Sync  func(context.Context) error
}

// FeedState implements corpus.FeedStateStore.
func (s FeedStates) FeedState(ctx context.Context, url string) (corpus.FeedState, error) {
	var fs corpus.FeedState
	v, err := s.Store.GetState(ctx, "feed/"+url)
	if errors.Is(err, store.ErrNotFound) {
		return fs, nil
	}
	if err != nil {
		return fs, err
	}
	if err := json.Unmarshal([]byte(v), &fs); err != nil {
		return corpus.FeedState{}, nil // unreadable state: fetch afresh
	}
	return fs, nil
}

// SetFeedState implements corpus.FeedStateStore.
func (s FeedStates) SetFeedState(ctx context.Context, url string, fs corpus.FeedState) error {
	b, err := json.Marshal(fs)
	if err != nil {
		return fmt.Errorf("encoding feed state: %w", err)
	}
	if s.Sync != nil {
		if err := s.Sync(ctx); err != nil {
			return fmt.Errorf("storing the items before the feed's state: %w", err)
		}
	}
	return s.Store.SetState(ctx, "feed/"+url, string(b))
}

var _ corpus.FeedStateStore = FeedStates{}

// Values are the store's named values read as "" when never set, for the
// parts that keep a value there and take "" for none (Telegram's polling
// offset).
type Values struct{ State store.State }

// GetState returns the value of key, "" when it was never set.
func (v Values) GetState(ctx context.Context, key string) (string, error) {
	s, err := v.State.GetState(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return s, err
}

// SetState stores the value of key.
func (v Values) SetState(ctx context.Context, key, value string) error {
	return v.State.SetState(ctx, key, value)
}
