package bot

import (
	"sync"
	"testing"
	"time"
)

// timerClock is a Clock whose After channels fire only when the test
// advances it, so a test steps through waits without sleeping.
type timerClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []clockTimer
	changed chan struct{} // closed and replaced whenever timers change
}

type clockTimer struct {
	at time.Time
	ch chan time.Time
}

func newTimerClock() *timerClock {
	return &timerClock{now: time.Date(2021, 7, 8, 9, 0, 0, 0, time.UTC), changed: make(chan struct{})}
}

func (c *timerClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *timerClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.timers = append(c.timers, clockTimer{at: c.now.Add(d), ch: ch})
	c.notify()
	return ch
}

// notify wakes waitTimers; c.mu is held.
func (c *timerClock) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Advance moves the clock by d and fires every timer now due.
func (c *timerClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- c.now
	}
	c.timers = kept
	c.notify()
}

// waits returns how long from now each pending timer has to run.
func (c *timerClock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]time.Duration, len(c.timers))
	for i, t := range c.timers {
		out[i] = t.at.Sub(c.now)
	}
	return out
}

// waitTimers blocks until exactly n timers are pending: the goroutines
// under test have reached their waits.
func (c *timerClock) waitTimers(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(30 * time.Second) // a hang, not a timing assertion
	for {
		c.mu.Lock()
		got, ch := len(c.timers), c.changed
		c.mu.Unlock()
		if got == n {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("gave up waiting for %d pending timers (have %d)", n, got)
		}
	}
}
