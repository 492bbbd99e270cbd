package corpus

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestFormatsDocumented checks the limits docs/formats.md quotes from this
// package.
func TestFormatsDocumented(t *testing.T) {
	data, err := os.ReadFile("../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(data)), " ")
	skew := map[time.Duration]string{24 * time.Hour: "a day", 48 * time.Hour: "two days"}[MaxFutureSkew]
	for _, want := range []string{
		fmt.Sprintf("at most %d characters and %d words", maxHeadlineRunes, maxHeadlineWords),
		fmt.Sprintf("cut to about %d words (%d characters)", maxTitleWords, maxTitleRunes),
		fmt.Sprintf("A date more than %s after", skew),
	} {
		if skew == "" || !strings.Contains(doc, want) {
			t.Errorf("docs/formats.md does not say %q", want)
		}
	}
}
