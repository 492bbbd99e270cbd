package dedup

// lru keeps the shingle sets of the most recently used documents. It is
// not safe for concurrent use; the Detector's lock guards it.
type lru struct {
	cap   int
	items map[string]*lruEntry
	// head is a sentinel: head.next is the most recent entry, head.prev
	// the least recent.
	head lruEntry
}

type lruEntry struct {
	id         string
	set        []uint64
	prev, next *lruEntry
}

func newLRU(capacity int) *lru {
	c := &lru{cap: capacity, items: make(map[string]*lruEntry, max(capacity, 0))}
	c.head.prev, c.head.next = &c.head, &c.head
	return c
}

// get returns the set cached for id and marks it most recent.
func (c *lru) get(id string) ([]uint64, bool) {
	e, ok := c.items[id]
	if !ok {
		return nil, false
	}
	c.unlink(e)
	c.pushFront(e)
	return e.set, true
}

// put stores a copy of set for id as the most recent entry, evicting the
// least recent one when full; the evicted entry's buffer is reused.
func (c *lru) put(id string, set []uint64) {
	if c.cap <= 0 {
		return
	}
	if e, ok := c.items[id]; ok {
		e.set = append(e.set[:0], set...)
		c.unlink(e)
		c.pushFront(e)
		return
	}
	var e *lruEntry
	if len(c.items) >= c.cap {
		e = c.head.prev
		c.unlink(e)
		delete(c.items, e.id)
	} else {
		e = new(lruEntry)
	}
	e.id = id
	e.set = append(e.set[:0], set...)
	c.items[id] = e
	c.pushFront(e)
}

func (c *lru) unlink(e *lruEntry) {
	e.prev.next = e.next
	e.next.prev = e.prev
}

func (c *lru) pushFront(e *lruEntry) {
	e.prev = &c.head
	e.next = c.head.next
	c.head.next.prev = e
	c.head.next = e
}

// remove drops the set cached for id, if any.
func (c *lru) remove(id string) {
	if e, ok := c.items[id]; ok {
		c.unlink(e)
		delete(c.items, id)
	}
}
