package storetest

import (
	"fmt"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// testNonces checks that a key is fresh once until it expires, for every
// handle on the store (a replica, a restarted process), and once only when
// several claim it at the same moment.
func testNonces(e *env) {
	a, b := e.open(), e.open()
	claim := func(s store.Nonces, key string, expires time.Time) bool {
		e.t.Helper()
		fresh, err := s.ClaimNonce(e.ctx, key, expires)
		e.must(err, "ClaimNonce "+key)
		return fresh
	}
	expires := at(5 * time.Minute)
	e.equal("first claim", claim(a, "v0=1", expires), true)
	e.equal("second claim, same handle", claim(a, "v0=1", expires), false)
	e.equal("second claim, other handle", claim(b, "v0=1", expires), false)
	e.equal("another key", claim(b, "v0=2", at(10*time.Minute)), true)

	// Once expired by the store's clock a key is forgotten; keys not yet
	// expired are kept.
	e.clock.Set(at(5 * time.Minute))
	e.equal("claim after expiry", claim(a, "v0=1", at(10*time.Minute)), true)
	e.equal("unexpired key", claim(a, "v0=2", at(10*time.Minute)), false)

	// Claimed from many goroutines and two handles at once, each key is
	// fresh exactly once.
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := map[string]int{}
	for i := range 16 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 4 {
				key := fmt.Sprintf("v0=c%d", k)
				ok, err := s.ClaimNonce(e.ctx, key, at(20*time.Minute))
				if err != nil {
					e.t.Errorf("ClaimNonce %s: %v", key, err)
					return
				}
				if ok {
					mu.Lock()
					fresh[key]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	e.equal("fresh claims of concurrent keys", fresh, map[string]int{"v0=c0": 1, "v0=c1": 1, "v0=c2": 1, "v0=c3": 1})
}
