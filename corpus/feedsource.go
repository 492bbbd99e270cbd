package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// DefaultFeedTimeout bounds one fetch when FeedSource.Timeout is zero.
const DefaultFeedTimeout = 30 * time.Second

// FeedState is what a conditional GET needs from the previous fetch.
type FeedState struct {
	ETag         string
	LastModified string
}

// FeedStateStore keeps FeedState across restarts, keyed by feed URL.
type FeedStateStore interface {
	// FeedState returns the state recorded for url, zero when none is.
	FeedState(ctx context.Context, url string) (FeedState, error)
	// SetFeedState records the state of url.
	SetFeedState(ctx context.Context, url string, s FeedState) error
}

// FeedSource fetches an RSS or Atom feed over HTTP. It sends the ETag and
// Last-Modified of the previous fetch, so an unchanged feed costs a 304 and
// yields nothing. Every fetch of a changed feed returns all its items: the
// documents' IDs tell items already seen. A FeedSource is safe for
// concurrent use once configured, but fetches of one feed are serialised.
type FeedSource struct {
	// URL is the feed's address.
	URL string
	// Name, when set, is the Source of items that name no source of their
	// own; otherwise the feed's title is.
	Name string
	// Client sends the requests. When nil, a client of NewFeedClient:
	// public addresses only, unless AllowPrivate.
	Client *http.Client
	// AllowPrivate lets a FeedSource without a Client of its own fetch
	// from loopback, private and link-local addresses (a feed on the
	// organisation's network; tests on 127.0.0.1).
	AllowPrivate bool
	// Timeout bounds one fetch, body included (DefaultFeedTimeout when zero).
	Timeout time.Duration
	// MaxSize is the largest feed read, in bytes (DefaultMaxSize when zero).
	MaxSize int64
	// UserAgent is sent with each request ("wirewatch" when empty).
	UserAgent string
	// State keeps the conditional-GET state across restarts; when nil it is
	// kept in memory.
	State FeedStateStore
	// Now gives the time used as the date of items that carry none, and
	// instead of dates too far in the future (time.Now when nil).
	Now func() time.Time
	// Logger receives a line per item whose date was in the future
	// (slog.Default() when nil).
	Logger *slog.Logger

	mu  sync.Mutex
	mem FeedState
}

// FetchError is a fetch that the server answered with an unexpected status.
type FetchError struct {
	URL        string
	StatusCode int
	Status     string
}

// Error names the feed and the status.
func (e *FetchError) Error() string { return "fetch " + e.URL + ": " + e.Status }

// Fetch gets the feed and returns its items as documents, with URL the
// item's link and Path empty, and records the feed's new ETag and
// Last-Modified. It returns no documents and no error when the server says
// the feed has not changed (304). Errors: a *FetchError for an HTTP status
// other than 200 and 304; an error wrapping ErrNotFeed or an
// *xml.SyntaxError for a body that is not a well-formed feed; one wrapping
// ErrFeedTooLarge for a body over MaxSize; network and context errors,
// wrapped.
func (s *FeedSource) Fetch(ctx context.Context) ([]Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	docs, next, err := s.fetch(ctx)
	if err != nil || next == nil {
		return docs, err
	}
	if err := s.setState(ctx, *next); err != nil {
		return nil, fmt.Errorf("corpus: feed state of %s: %w", s.URL, err)
	}
	return docs, nil
}

// Scan fetches the feed as Fetch does and hands its documents to fn, in
// feed order. The feed's new state is recorded only after fn accepted every
// document, so items are not lost when fn fails: the next Scan fetches the
// feed in full again. It returns Fetch's errors and fn's, wrapped.
func (s *FeedSource) Scan(ctx context.Context, fn Handler) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	docs, next, err := s.fetch(ctx)
	if err != nil || next == nil {
		return err
	}
	for _, d := range docs {
		if err := fn(ctx, d); err != nil {
			return fmt.Errorf("corpus: feed %s: handle %q: %w", s.URL, d.Title, err)
		}
	}
	if err := s.setState(ctx, *next); err != nil {
		return fmt.Errorf("corpus: feed state of %s: %w", s.URL, err)
	}
	return nil
}

// fetch gets and parses the feed. It returns a nil state when the feed has
// not changed.
func (s *FeedSource) fetch(ctx context.Context) ([]Document, *FeedState, error) {
	base, err := url.Parse(s.URL)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: feed url %q: %w", s.URL, err)
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultFeedTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	prev, err := s.state(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: feed state of %s: %w", s.URL, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: fetch %s: %w", s.URL, err)
	}
	ua := s.UserAgent
	if ua == "" {
		ua = "wirewatch"
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1")
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	client := s.Client
	if client == nil {
		client = defaultFeedClient(s.AllowPrivate)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: %w", err) // a *url.Error names the method and URL
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		return nil, nil, nil
	default:
		return nil, nil, fmt.Errorf("corpus: %w", &FetchError{URL: s.URL, StatusCode: resp.StatusCode, Status: resp.Status})
	}
	maxSize := s.MaxSize
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	if resp.ContentLength > maxSize {
		return nil, nil, fmt.Errorf("corpus: fetch %s: %w: %d bytes, limit %d", s.URL, ErrFeedTooLarge, resp.ContentLength, maxSize)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: fetch %s: %w", s.URL, err)
	}
	if int64(len(data)) > maxSize {
		return nil, nil, fmt.Errorf("corpus: fetch %s: %w: limit %d", s.URL, ErrFeedTooLarge, maxSize)
	}
	f, err := parseFeed(bytes.NewReader(data), feedOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: %s: %w", s.URL, err)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	fetched := now()
	docs := finish(f.documents(s.Name, base), "", base.Hostname(), fetched)
	clampFuture(docs, fetched, func(d Document, claimed time.Time) {
		s.logger().Warn("corpus: publication date is in the future; using the fetch time instead",
			"feed", s.Name, "title", d.Title, "date", claimed, "fetched", d.Published)
	})
	next := &FeedState{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	return docs, next, nil
}

func (s *FeedSource) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// ErrFeedTooLarge is returned (wrapped) by Fetch for a feed over MaxSize.
var ErrFeedTooLarge = errors.New("feed larger than the size limit")

func (s *FeedSource) state(ctx context.Context) (FeedState, error) {
	if s.State == nil {
		return s.mem, nil
	}
	return s.State.FeedState(ctx, s.URL)
}

func (s *FeedSource) setState(ctx context.Context, st FeedState) error {
	if s.State == nil {
		s.mem = st
		return nil
	}
	return s.State.SetFeedState(ctx, s.URL, st)
}
