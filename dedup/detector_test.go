package dedup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// memTexts is a TextFunc over a map that counts its calls.
type memTexts struct {
	texts map[string]string
	loads int
}

func (m *memTexts) text(_ context.Context, id string) (string, error) {
	m.loads++
	t, ok := m.texts[id]
	if !ok {
		return "", fmt.Errorf("no document %q", id)
	}
	return t, nil
}

func newTestDetector(t *testing.T, o Options) (*Detector, *memTexts) {
	t.Helper()
	m := &memTexts{texts: map[string]string{}}
	d, err := NewDetector(m.text, o)
	if err != nil {
		t.Fatal(err)
	}
	return d, m
}

func TestDetectorSeeds(t *testing.T) {
	seeds := readSeeds(t)
	orders := [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 1, 4, 0, 3}}
	for _, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			d, m := newTestDetector(t, Options{})
			var copies []string
			for _, i := range order {
				s := seeds[i]
				m.texts[s.name] = s.text
				v, err := d.Check(context.Background(), s.name, s.text)
				if err != nil {
					t.Fatal(err)
				}
				if v.CopyOf != "" {
					pair := []string{s.name, v.CopyOf}
					slices.Sort(pair)
					copies = append(copies, strings.Join(pair, "/"))
					if v.Containment < 0.75 || v.Jaccard > 0.5 {
						t.Errorf("%s copies %s at containment %.3f, Jaccard %.3f", s.name, v.CopyOf, v.Containment, v.Jaccard)
					}
				}
			}
			if want := []string{"000/001"}; !slices.Equal(copies, want) {
				t.Errorf("copies %v, want %v", copies, want)
			}
		})
	}
}

func TestDetectorVerdicts(t *testing.T) {
	base := "The government has flown hundreds of commandos into the city, the capital of the northwestern province, officials said on Thursday. "
	other := "Quarterly profits at the media group rose sharply on the back of higher advertising sales and new subscribers to its services. "
	cases := []struct {
		name string
		// docs are checked in order; the verdict of the last is tested.
		docs        []string
		wantCopyOf  string
		wantNearest string
		wantC       float64
	}{
		{"exact copy", []string{base, base}, "d0", "d0", 1},
		{"longer original", []string{base + other, base}, "d0", "d0", 1},
		{"unrelated", []string{base, other}, "", "", 0},
		{"connector and diacritics", []string{"Fighting reached Qala-i-Naw and Kabul on Thursday as forces pushed back.",
			"Fighting reached Qala-e-Naw and Kābul on Thursday as forces pushed back."}, "d0", "d0", 1},
		{"short text exact", []string{"Taliban seize city", "Taliban seize city"}, "d0", "d0", 1},
		{"short text different", []string{"Taliban seize city", "Taliban seize town"}, "", "", 0},
		{"no words", []string{"...", "..."}, "", "", 0},
		{"tie to smaller id", []string{base, base, base}, "d0", "d0", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, m := newTestDetector(t, Options{})
			var v Verdict
			for i, text := range tc.docs {
				id := fmt.Sprintf("d%d", i)
				m.texts[id] = text
				var err error
				if v, err = d.Check(context.Background(), id, text); err != nil {
					t.Fatal(err)
				}
			}
			if v.CopyOf != tc.wantCopyOf || v.Nearest != tc.wantNearest || v.Containment != tc.wantC {
				t.Errorf("verdict %+v, want CopyOf %q Nearest %q containment %g", v, tc.wantCopyOf, tc.wantNearest, tc.wantC)
			}
		})
	}
}

func TestDetectorThreshold(t *testing.T) {
	seeds := readSeeds(t)
	cases := []struct {
		containment float64
		want        string
	}{{0.5, "000"}, {0.8, "000"}, {0.85, ""}}
	for _, tc := range cases {
		d, _ := newTestDetector(t, Options{Containment: tc.containment})
		ctx := context.Background()
		if _, err := d.Check(ctx, "000", seeds[0].text); err != nil {
			t.Fatal(err)
		}
		v, err := d.Check(ctx, "001", seeds[1].text)
		if err != nil {
			t.Fatal(err)
		}
		if v.CopyOf != tc.want || v.Nearest != "000" {
			t.Errorf("containment %g: verdict %+v, want CopyOf %q", tc.containment, v, tc.want)
		}
	}
}

// TestDetectorRestart checks that a new Detector loaded with the sketches
// of the first one, with an empty cache, finds copies through the TextFunc.
func TestDetectorRestart(t *testing.T) {
	seeds := readSeeds(t)
	m := &memTexts{texts: map[string]string{"000": seeds[0].text}}
	ctx := context.Background()
	first, err := NewDetector(m.text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v0, err := first.Check(ctx, "000", seeds[0].text)
	if err != nil {
		t.Fatal(err)
	}
	if len(v0.Sketch) != 3+4*SignatureSize/DefaultRows {
		t.Fatalf("sketch of %d bytes", len(v0.Sketch))
	}
	second, err := NewDetector(m.text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := second.Load("000", time.Time{}, v0.Sketch); err != nil {
		t.Fatal(err)
	}
	v, err := second.Check(ctx, "001", seeds[1].text)
	if err != nil {
		t.Fatal(err)
	}
	if v.CopyOf != "000" || m.loads != 1 {
		t.Errorf("after restart: verdict %+v with %d loads, want a copy of 000 and 1 load", v, m.loads)
	}
	st := second.Stats()
	if st.Checks != 1 || st.Loads != 1 || st.CacheHits != 0 {
		t.Errorf("stats %+v", st)
	}
	// A sketch made with other options is refused, not mixed in.
	other, err := NewDetector(m.text, Options{Shingle: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Load("000", time.Time{}, v0.Sketch); !errors.Is(err, ErrSketchLayout) {
		t.Errorf("loading a shingle-5 sketch into a shingle-4 detector: %v", err)
	}
	for _, bad := range [][]byte{nil, {9, 5, 2}, v0.Sketch[:10]} {
		if err := second.Load("x", time.Time{}, bad); err == nil {
			t.Errorf("loading sketch %v: no error", bad)
		}
	}
	if n, _ := other.IndexSize(); n != 0 {
		t.Errorf("refused sketches left %d documents in the index", n)
	}
}

func TestDetectorErrors(t *testing.T) {
	seeds := readSeeds(t)
	ctx := context.Background()
	d, m := newTestDetector(t, Options{CacheSize: -1})
	if _, err := d.Check(ctx, "000", seeds[0].text); err != nil {
		t.Fatal(err)
	}
	// 000's text is unknown to the TextFunc and the cache is off.
	if _, err := d.Check(ctx, "001", seeds[1].text); err == nil || !strings.Contains(err.Error(), "000") {
		t.Errorf("missing text: got %v", err)
	}
	if m.loads != 1 {
		t.Errorf("%d loads, want 1", m.loads)
	}
	d, err := NewDetector(nil, Options{CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Check(ctx, "000", seeds[0].text); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Check(ctx, "001", seeds[1].text); !errors.Is(err, ErrNoText) {
		t.Errorf("no TextFunc: got %v", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	cases := []struct {
		o     Options
		field string
	}{
		{Options{}, ""},
		{Options{Shingle: 3, Containment: 0.7, Rows: 4}, ""},
		{Options{Shingle: -1}, "shingle"},
		{Options{Shingle: 17}, "shingle"},
		{Options{Containment: 1.5}, "containment"},
		{Options{Containment: -0.1}, "containment"},
		{Options{Rows: 3}, "rows"},
		{Options{Common: 256}, "common"},
		{Options{Common: -1, CacheSize: -1}, ""},
		{Options{Window: -1}, "window"},
		{Options{PerBand: -3}, "per band"},
		{Options{MaxCandidates: -1}, "max candidates"},
	}
	for _, tc := range cases {
		err := tc.o.Validate()
		if tc.field == "" && err != nil || tc.field != "" && (err == nil || !strings.Contains(err.Error(), tc.field)) {
			t.Errorf("%+v: got %v, want error naming %q", tc.o, err, tc.field)
		}
		if _, derr := NewDetector(nil, tc.o); (derr == nil) != (err == nil) {
			t.Errorf("%+v: NewDetector %v, Validate %v", tc.o, derr, err)
		}
	}
}

// TestDetectorSpan checks that a copy is found when it was published within
// Options.Span of its original, before or after it, and passed over when
// further, including for an original loaded from its sketch; a copy of
// unknown time is found whatever the original's time, as long as the
// original is in the index.
func TestDetectorSpan(t *testing.T) {
	seeds := readSeeds(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	m := &memTexts{texts: map[string]string{"000": seeds[0].text}}
	first, err := NewDetector(m.text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v0, err := first.CheckFingerprint(ctx, "000", t0, first.Fingerprint(seeds[0].text))
	if err != nil {
		t.Fatal(err)
	}
	restarted, err := NewDetector(m.text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := restarted.Load("000", t0, v0.Sketch); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*Detector{first, restarted} {
		for i, tc := range []struct {
			at   time.Time
			want string
		}{
			{t0.Add(-6 * day), "000"},
			{t0.Add(-8 * day), ""},
			{time.Time{}, "000"},
			{t0.Add(6 * day), "000"},
			// The newest document so far: the original, older than the
			// span before it, leaves the index.
			{t0.Add(8 * day), ""},
		} {
			id := fmt.Sprintf("copy-%d", i)
			v, err := d.CheckFingerprint(ctx, id, tc.at, d.Fingerprint(seeds[1].text))
			if err != nil {
				t.Fatal(err)
			}
			if v.CopyOf != tc.want {
				t.Errorf("a copy published %v after its original: CopyOf %q, want %q", tc.at.Sub(t0), v.CopyOf, tc.want)
			}
			d.Forget([]string{id}) // each case meets the original alone
		}
		if st := d.Stats(); st.OutOfSpan != 2 {
			t.Errorf("OutOfSpan = %d, want 2", st.OutOfSpan)
		}
	}
}
