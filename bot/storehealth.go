package bot

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// StoreHealth knows whether the store takes writes, from what the bot's
// own writes met: a scan whose documents could not be stored or processed
// (a full disk, a store that went read-only, a database role without
// write rights) marks it failing until a later scan writes again. /readyz
// reports it.
type StoreHealth struct {
	Log *slog.Logger

	mu    sync.Mutex
	err   error
	since time.Time
}

// Record records the outcome of a pass's writes at now: err nil when they
// went through. A change is logged once.
func (h *StoreHealth) Record(err error, now time.Time) {
	if h == nil {
		return
	}
	h.mu.Lock()
	was := h.err
	if err == nil {
		h.err = nil
	} else if was == nil {
		h.err, h.since = err, now
	} else {
		h.err = err
	}
	h.mu.Unlock()
	log := h.Log
	if log == nil {
		log = slog.Default()
	}
	switch {
	case was == nil && err != nil:
		log.Error("the store cannot be written; /readyz reports not ready until a write succeeds", "err", err)
	case was != nil && err == nil:
		log.Info("the store takes writes again")
	}
}

// Err returns why the store is failing writes, or nil.
func (h *StoreHealth) Err() error {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil {
		return nil
	}
	return fmt.Errorf("the store cannot be written (since %s UTC): %w", h.since.UTC().Format("2006-01-02 15:04:05"), h.err)
}

// probeKey is the state a readiness probe writes.
const probeKey = "health/ready-probe"

// ProbeWrite writes a small value to st, so that a store that takes no
// writes at all (read-only, a role without write rights, a disk so full
// that its log cannot grow) fails readiness even between scans.
func ProbeWrite(ctx context.Context, st store.State, now time.Time) error {
	if err := st.SetState(ctx, probeKey, now.UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("the store cannot be written: %w", err)
	}
	return nil
}
