package dedup

import "testing"

func TestBandTable(t *testing.T) {
	var tab bandTable
	if tab.get(42) != 0 {
		t.Fatal("empty table has a value")
	}
	const n = 5000 // several growths
	for i := range n {
		*tab.slot(uint64(i)*0x9e3779b97f4a7c15 + 7) = int32(i + 1)
	}
	for i := range n {
		if got := tab.get(uint64(i)*0x9e3779b97f4a7c15 + 7); got != int32(i+1) {
			t.Fatalf("key %d: got %d", i, got)
		}
	}
	if tab.used != n || tab.get(3) != 0 {
		t.Fatalf("used %d, get(3) = %d", tab.used, tab.get(3))
	}
	*tab.slot(0) = 9 // 0 is stored as 1
	if tab.get(0) != 9 || tab.get(1) != 9 {
		t.Fatal("key 0")
	}
}
