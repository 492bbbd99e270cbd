package dedup

// bandTable maps band hashes to int32 values with open addressing and
// linear probing: one flat array, no per-entry allocation. Hash 0 is stored
// as 1 (a band hash of 0 is as likely as any other, and 0 marks an empty
// slot); the rare collision only adds a candidate that confirmation
// rejects. A value of 0 means absent.
type bandTable struct {
	slots []bandSlot
	used  int
}

type bandSlot struct {
	key uint64
	val int32
}

// get returns the value stored for key, or 0.
func (t *bandTable) get(key uint64) int32 {
	if len(t.slots) == 0 {
		return 0
	}
	key = max(key, 1)
	mask := uint64(len(t.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key {
			return s.val
		}
		if s.key == 0 {
			return 0
		}
	}
}

// slot returns a pointer to the value of key, adding key with value 0
// when absent. The pointer is valid until the next call.
func (t *bandTable) slot(key uint64) *int32 {
	if 4*(t.used+1) > 3*len(t.slots) {
		t.grow()
	}
	key = max(key, 1)
	mask := uint64(len(t.slots) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key {
			return &s.val
		}
		if s.key == 0 {
			s.key = key
			t.used++
			return &s.val
		}
	}
}

func (t *bandTable) grow() {
	old := t.slots
	t.slots = make([]bandSlot, max(1024, 2*len(old)))
	t.used = 0
	for _, s := range old {
		if s.key != 0 {
			*t.slot(s.key) = s.val
		}
	}
}
