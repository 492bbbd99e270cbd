package slack

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// ErrReplayed means a request carried a signature already accepted: the
// same request sent again, within MaxClockSkew of its timestamp.
var ErrReplayed = errors.New("slack: request already received (a replay)")

// errGuardFull means the guard holds as many signatures as it may; it
// cannot happen with Slack's real traffic.
var errGuardFull = errors.New("slack: too many signed requests in five minutes to remember them all")

// maxRemembered bounds the signatures a ReplayGuard keeps in memory: at
// most one request every 3 ms for 5 minutes, far above a workspace's
// slash commands and button clicks.
const maxRemembered = 100_000

// NonceStore remembers keys across processes and restarts; the bot's store
// (store.Nonces) is one.
type NonceStore interface {
	// ClaimNonce records key until expires and reports whether it is new.
	ClaimNonce(ctx context.Context, key string, expires time.Time) (fresh bool, err error)
}

// ReplayGuard checks Slack's signature on a request and refuses a request
// whose signature it accepted before. A signature stays valid for
// MaxClockSkew around its timestamp, so each accepted one is remembered
// until then. One guard serves every endpoint Slack signs (slash commands
// and interactions) so a request is used once, wherever it is sent.
//
// With a NonceStore the signatures are also recorded there, so that a
// request replayed to another replica sharing the store, or after a
// restart, is refused too. When the store cannot record one (it is down or
// full) the guard logs it and goes on with its memory alone: commands
// keep working through a store outage, at the cost of replays to other
// replicas in that time.
type ReplayGuard struct {
	secret string
	store  NonceStore
	log    *slog.Logger

	mu        sync.Mutex
	seen      map[string]time.Time // signature -> when it goes stale
	nextSweep int                  // forget the stale ones at this size
}

// NewReplayGuard returns a guard checking signatures made with the signing
// secret (SLACK_SIGNING_SECRET), remembering them in memory and, when st
// is not nil, in st.
func NewReplayGuard(signingSecret string, st NonceStore, log *slog.Logger) *ReplayGuard {
	if log == nil {
		log = slog.Default()
	}
	return &ReplayGuard{secret: signingSecret, store: st, log: log, seen: map[string]time.Time{}, nextSweep: 1024}
}

// Verify checks that body, with its request headers h, was signed by Slack
// no more than MaxClockSkew from now (VerifySignature) and that this
// signature was not accepted before. It returns nil, the errors of
// VerifySignature, or ErrReplayed.
func (g *ReplayGuard) Verify(ctx context.Context, h http.Header, body []byte, now time.Time) error {
	if err := VerifySignature(g.secret, h, body, now); err != nil {
		return err
	}
	sig := h.Get(headerSignature)
	sec, _ := strconv.ParseInt(h.Get(headerTimestamp), 10, 64) // checked by VerifySignature
	stale := time.Unix(sec, 0).Add(MaxClockSkew)
	if err := g.remember(sig, stale, now); err != nil {
		return err
	}
	if g.store == nil {
		return nil
	}
	fresh, err := g.store.ClaimNonce(ctx, "slack:"+sig, stale)
	if err != nil {
		g.log.WarnContext(ctx, "slack: cannot record the request's signature in the store; replays to other replicas are not caught meanwhile", "err", err)
		return nil
	}
	if !fresh {
		return ErrReplayed
	}
	return nil
}

// remember records sig until stale, or returns ErrReplayed when it is
// already recorded.
func (g *ReplayGuard) remember(sig string, stale, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until, ok := g.seen[sig]; ok && now.Before(until) {
		return ErrReplayed
	}
	if len(g.seen) >= g.nextSweep {
		for s, until := range g.seen {
			if !now.Before(until) {
				delete(g.seen, s)
			}
		}
		g.nextSweep = max(1024, 2*len(g.seen))
	}
	if len(g.seen) >= maxRemembered {
		return errGuardFull
	}
	g.seen[sig] = stale
	return nil
}
