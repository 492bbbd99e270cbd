package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/store"
)

// Copies is the near-copy detector with its in-memory index of the recent
// documents. The index is loaded from the sketches the store keeps the
// first time the engine processes documents, so a command that finds
// nothing new never pays for it; documents stored before sketches were
// kept get theirs made from their text then. One Copies serves every rules
// reload that keeps the dedup options.
type Copies struct {
	Detector *dedup.Detector

	mu     sync.Mutex
	loaded bool
}

// NewCopies returns a detector with options o that loads the text of a
// candidate not in its cache from st.
func NewCopies(st store.DocumentReader, o dedup.Options) (*Copies, error) {
	det, err := dedup.NewDetector(func(ctx context.Context, id string) (string, error) {
		d, err := st.Document(ctx, id)
		if err != nil {
			return "", err
		}
		return d.Text(), nil
	}, o)
	if err != nil {
		return nil, err
	}
	return &Copies{Detector: det}, nil
}

// sketchBatch is how many sketches of older documents are made and stored
// per transaction when the index is first loaded.
const sketchBatch = 1000

// ensureLoaded loads the index once: the sketches of the Window documents
// processed last, then sketches made from the text of processed documents
// that have none.
func (c *Copies) ensureLoaded(ctx context.Context, st EngineStore, now time.Time, log *slog.Logger) error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded {
		return nil
	}
	window := c.Detector.Options().Window
	n, stale := 0, 0
	err := st.RecentSketches(ctx, window, func(id string, published time.Time, sketch []byte) error {
		if err := c.Detector.Load(id, copyTime(published, now), sketch); err != nil {
			stale++ // made with other dedup options: not comparable
			return nil
		}
		n++
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading the copy index: %w", err)
	}
	made, err := c.backfill(ctx, st, window-n, now)
	if err != nil {
		return err
	}
	if n+made+stale > 0 {
		docs, bytes := c.Detector.IndexSize()
		log.Info("copy index loaded", "documents", docs, "bytes", bytes, "sketched now", made,
			"other options", stale)
	}
	c.loaded = true
	return nil
}

// backfill makes and stores the sketches of up to limit processed
// documents that have none, oldest first, and adds them to the index.
func (c *Copies) backfill(ctx context.Context, st EngineStore, limit int, now time.Time) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	docs, err := st.UnsketchedDocuments(ctx, limit)
	if err != nil || len(docs) == 0 {
		return 0, err
	}
	slices.Reverse(docs)
	made := 0
	for chunk := range slices.Chunk(docs, sketchBatch) {
		sketches := make([][]byte, len(chunk))
		parallel(len(chunk), func(i int) {
			sketches[i] = c.Detector.Sketch(c.Detector.Fingerprint(chunk[i].Text()))
		})
		err := st.Write(ctx, func(tx store.Tx) error {
			for i, d := range chunk {
				if sketches[i] == nil {
					continue
				}
				if err := tx.SetSketch(ctx, d.ID, sketches[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return made, fmt.Errorf("storing sketches of older documents: %w", err)
		}
		for i, d := range chunk {
			if sketches[i] != nil {
				if err := c.Detector.Load(d.ID, copyTime(d.Published, now), sketches[i]); err != nil {
					return made, err
				}
				made++
			}
		}
	}
	return made, nil
}

// parallel calls fn(i) for every i in [0, n) on up to GOMAXPROCS
// goroutines and returns when all are done.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	wg.Wait()
}
