package english

import "testing"

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		noun string
		want string
	}{
		{1, "source", "1 source"},
		{2, "source", "2 sources"},
		{0, "source", "0 sources"},
		{1, "story", "1 story"},
		{3, "story", "3 stories"},
		{2, "copy", "2 copies"},
		{2, "day", "2 days"},
		{2, "match", "2 matches"},
		{2, "process", "2 processes"},
		{-1, "document", "-1 document"},
		{5, "new document", "5 new documents"},
	} {
		if got := Plural(tc.n, tc.noun); got != tc.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
}
