// Package bot is wirewatch's runtime: the engine that turns documents into
// stories and outbox rows, the delivery loop that sends those rows, the
// command router and the scheduler.
package bot

import "time"

// Clock tells the time and waits. Everything that schedules, groups or
// expires takes one, so tests never sleep.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// After is time.After.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
