package bot

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/chat"
)

// Health collects what the parts of each transport report about
// themselves (delivery, command polling, Socket Mode...), so /status,
// /readyz and /metrics can say which platform works. A transport fails
// alone: its problems never stop the others. A nil *Health records
// nothing. It is safe for concurrent use.
type Health struct {
	// Now is the clock problems are dated by; time.Now when nil.
	Now func() time.Time

	mu    sync.Mutex
	known map[string]bool               // transports
	parts map[string]map[string]Problem // transport -> part -> problem
}

// Problem is what is wrong with one part of a transport.
type Problem struct {
	Transport string
	// Part is what reported it: "delivery", "commands", "connect".
	Part string
	// Since is when the part first failed in a row.
	Since time.Time
	// Err is the last error, with its hint.
	Err string
	// Auth marks a refused token: nothing through the transport works.
	Auth bool
}

func (p Problem) String() string {
	what := "failing"
	if p.Auth {
		what = "token refused"
	}
	return fmt.Sprintf("%s %s: %s since %s UTC: %s", p.Transport, p.Part, what, p.Since.UTC().Format("2006-01-02 15:04:05"), p.Err)
}

// Add makes transport known, healthy until a part reports otherwise, so
// that its series shows in /metrics from the start.
func (h *Health) Add(transport string) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.addLocked(transport)
}

// addLocked makes transport known; h.mu is held.
func (h *Health) addLocked(transport string) {
	if h.known == nil {
		h.known = map[string]bool{}
		h.parts = map[string]map[string]Problem{}
	}
	h.known[transport] = true
}

// Report records how a part of transport stands: err nil means it works.
// A problem keeps the time it started while the same part keeps failing.
func (h *Health) Report(transport, part string, err error) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.addLocked(transport)
	if err == nil {
		delete(h.parts[transport], part)
		return
	}
	if h.parts[transport] == nil {
		h.parts[transport] = map[string]Problem{}
	}
	p, ok := h.parts[transport][part]
	if !ok {
		p = Problem{Transport: transport, Part: part, Since: h.now()}
	}
	p.Err, p.Auth = err.Error(), chat.IsAuthFailure(err)
	h.parts[transport][part] = p
}

// Reporter returns Report bound to a transport and part, for components
// that report through a func(error).
func (h *Health) Reporter(transport, part string) func(error) {
	return func(err error) { h.Report(transport, part, err) }
}

// Problems returns what is wrong now, by transport and part.
func (h *Health) Problems() []Problem {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Problem
	for _, parts := range h.parts {
		for _, p := range parts {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Transport, b.Transport), cmp.Compare(a.Part, b.Part))
	})
	return out
}

// Up reports, for every known transport, whether all its parts work.
func (h *Health) Up() map[string]bool {
	out := map[string]bool{}
	if h == nil {
		return out
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for t := range h.known {
		out[t] = len(h.parts[t]) == 0
	}
	return out
}

// Lines returns the problems as text, one a problem: what /readyz lists.
func (h *Health) Lines() []string {
	var out []string
	for _, p := range h.Problems() {
		out = append(out, p.String())
	}
	return out
}

func (h *Health) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
