// Package storetest is the conformance suite of store.Store: every backend
// runs Run, so they all keep the same promises, and RunBenchmarks, so their
// figures compare.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// Epoch is where the clock of every test of Run starts.
var Epoch = time.Date(2021, 7, 7, 6, 0, 0, 0, time.UTC)

// Open opens a handle on the store of test t. The first call in a test
// returns a new, empty store; later calls in the same test return another
// handle on that same store, as a restarted process or a second replica
// would open it. The suite closes every handle it opens (Close must be
// safe to call twice). An Open function sets the store's clock to
// Clock(t).
type Open func(t *testing.T) store.Store

// Run runs the conformance suite, each test on its own store.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(e *env)
	}{
		{"Clock", testClock},
		{"FileState", testFileState},
		{"PutDocument", testPutDocument},
		{"DocumentNotFound", testDocumentNotFound},
		{"Analysis", testAnalysis},
		{"Pending", testPending},
		{"Latest", testLatest},
		{"LatestManyPlaces", testLatestManyPlaces},
		{"Search", testSearch},
		{"SearchSeeds", testSearchSeeds},
		{"SearchMany", testSearchMany},
		{"PutDocuments", testPutDocuments},
		{"EachFileState", testEachFileState},
		{"EachFileStamp", testEachFileStamp},
		{"PendingAfter", testPendingAfter},
		{"Write", testWrite},
		{"WriteBatch", testWriteBatch},
		{"WriteBatchMissing", testWriteBatchMissing},
		{"WriteConcurrentAnalyses", testWriteConcurrentAnalyses},
		{"Sketches", testSketches},
		{"Place", testPlace},
		{"PlaceConcurrent", testPlaceConcurrent},
		{"Replies", testReplies},
		{"Prune", testPrune},
		{"CopyOf", testCopyOf},
		{"FindStory", testFindStory},
		{"AddToStory", testAddToStory},
		{"Stories", testStories},
		{"Enqueue", testEnqueue},
		{"OutboxOrder", testOutboxOrder},
		{"OutboxStoryHeads", testOutboxStoryHeads},
		{"OutboxDue", testOutboxDue},
		{"OutboxRetryAndDead", testOutboxRetryAndDead},
		{"Claim", testClaim},
		{"ClaimConcurrent", testClaimConcurrent},
		{"UpdatePending", testUpdatePending},
		{"ResetInflight", testResetInflight},
		{"OutboxStats", testOutboxStats},
		{"OutboxBacklog", testOutboxBacklog},
		{"ChannelStates", testChannelStates},
		{"ChannelBacklogs", testChannelBacklogs},
		{"ReleaseOutbox", testReleaseOutbox},
		{"OutboxChannelHeads", testOutboxChannelHeads},
		{"ResetInflightOutcome", testResetInflightOutcome},
		{"State", testState},
		{"Subscriptions", testSubscriptions},
		{"Mutes", testMutes},
		{"Unmute", testUnmute},
		{"MutedReports", testMutedReports},
		{"Follows", testFollows},
		{"ActionRefs", testActionRefs},
		{"Nonces", testNonces},
		{"InteractiveRestart", testInteractiveRestart},
		{"Restart", testRestart},
		{"Replicas", testReplicas},
		{"Lease", testLease},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := &clock{now: Epoch}
			clocks.Store(t, c)
			t.Cleanup(func() { clocks.Delete(t) })
			tc.fn(&env{t: t, ctx: t.Context(), clock: c, openFn: open})
		})
	}
}

// Clock returns the clock of test t, a test that Run started. Open
// functions make it their store's clock, so that the suite sets the times
// the store stamps. It fails t when Run did not start it.
func Clock(t *testing.T) func() time.Time {
	c, ok := clocks.Load(t)
	if !ok {
		t.Fatalf("storetest.Clock: %s is not a test that storetest.Run started", t.Name())
	}
	return c.(*clock).Now
}

// clocks maps the tests Run started to their clocks.
var clocks sync.Map

// clock is a clock that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *clock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// env is what one test of the suite works with.
type env struct {
	t      *testing.T
	ctx    context.Context
	clock  *clock
	openFn Open
}

// open returns a handle on the test's store and closes it at the end.
func (e *env) open() store.Store {
	e.t.Helper()
	s := e.openFn(e.t)
	e.t.Cleanup(func() {
		if err := s.Close(); err != nil {
			e.t.Errorf("Close: %v", err)
		}
	})
	return s
}

// must fails the test at once on an error.
func (e *env) must(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// equal reports a difference between got and want.
func (e *env) equal(what string, got, want any) bool {
	e.t.Helper()
	if reflect.DeepEqual(got, want) {
		return true
	}
	e.t.Errorf("%s:\n got %s\nwant %s", what, show(got), show(want))
	return false
}

// notFound checks that err is store.ErrNotFound.
func (e *env) notFound(err error, what string) {
	e.t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		e.t.Errorf("%s: err = %v, want store.ErrNotFound", what, err)
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// at returns Epoch plus d.
func at(d time.Duration) time.Time { return Epoch.Add(d) }

func testClock(e *env) {
	s := e.open()
	want := at(3*time.Hour + 1500*time.Microsecond)
	e.clock.Set(want)
	_, err := s.Enqueue(e.ctx, store.OutboxRow{Key: "k", Transport: "slack", Channel: "C1"})
	e.must(err, "Enqueue")
	r, err := s.OutboxRow(e.ctx, "k")
	e.must(err, "OutboxRow")
	if !r.CreatedAt.Equal(want) || !r.Due.Equal(want) {
		e.t.Fatalf("the store stamps %v, not the time of storetest.Clock (%v): set the store's clock to "+
			"storetest.Clock(t) in the Open function", r.CreatedAt, want)
	}
}
