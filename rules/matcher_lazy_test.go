package rules

import "testing"

// TestCompileBuildsTheIndexWhenAsked checks that Compile leaves the index
// unbuilt until Prepare or a match asks for it, and that Prepare twice
// builds it once.
func TestCompileBuildsTheIndexWhenAsked(t *testing.T) {
	m := compileShipped(t)
	select {
	case <-m.built:
		t.Fatal("the index was built before anything asked for it")
	default:
	}
	if m.keywords == nil {
		t.Fatal("Compile kept no keywords for the build")
	}
	m.Prepare()
	m.Prepare()
	m.Wait()
	if m.idx == nil || m.keywords != nil {
		t.Errorf("after Prepare and Wait: index %v, keywords still held %v", m.idx != nil, m.keywords != nil)
	}
	if res := m.Match("Taliban fighters entered Qala-i-Naw in Badghis."); len(res.Tags) == 0 {
		t.Errorf("no place found after the build: %+v", res)
	}

	lazy := compileShipped(t)
	if res := lazy.Match("Taliban fighters entered Qala-i-Naw in Badghis."); len(res.Tags) == 0 {
		t.Errorf("Match without Prepare found no place: %+v", res)
	}
}
