package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/store"
)

// FeedSource polls an RSS/Atom feed no more often than Interval, however
// often the scan runs. Its conditional-GET state lives in the store.
type FeedSource struct {
	Feed     *corpus.FeedSource
	Interval time.Duration
	Clock    Clock
	// Metrics counts fetches and errors by feed name (nil: not counted).
	Metrics *Metrics

	mu   sync.Mutex
	last time.Time
}

// NewFeedSource polls url every interval, keeping its state in st.
func NewFeedSource(name, url string, interval time.Duration, st store.State, clock Clock) *FeedSource {
	return &FeedSource{
		Feed:     &corpus.FeedSource{URL: url, Name: name, State: FeedStates{st}, Now: clock.Now},
		Interval: interval,
		Clock:    clock,
	}
}

// Name is "feed:" and the URL.
func (f *FeedSource) Name() string { return "feed:" + f.Feed.URL }

// Scan fetches the feed when its interval has passed and hands over its
// items. A fetch error is returned (the scanner logs it and goes on).
func (f *FeedSource) Scan(ctx context.Context, fn corpus.Handler) error {
	f.mu.Lock()
	now := f.Clock.Now()
	if !f.last.IsZero() && now.Sub(f.last) < f.Interval {
		f.mu.Unlock()
		return nil
	}
	f.last = now
	f.mu.Unlock()
	// Scan records the feed's ETag only after fn took every item, so a
	// failure never loses items.
	m := f.Metrics.Use()
	m.FeedFetches.Inc(f.Feed.Name)
	if err := f.Feed.Scan(ctx, fn); err != nil {
		m.FeedErrors.Inc(f.Feed.Name)
		return fmt.Errorf("feed %s: %w", f.Feed.URL, err)
	}
	m.FeedLastSuccess.Set(seconds(f.Clock.Now()), f.Feed.Name)
	return nil
}

// FeedStates keeps feed conditional-GET state in a store.
type FeedStates struct{ Store store.State }

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
	return s.Store.SetState(ctx, "feed/"+url, string(b))
}

var _ corpus.FeedStateStore = FeedStates{}
