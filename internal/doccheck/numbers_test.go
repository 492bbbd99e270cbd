package doccheck

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/chat/telegram"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/dedup"
	"github.com/wirewatch/wirewatch/rules"
)

// short writes a duration as the docs do: 48h, 10m, 2s, 1h30m.
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// spoken writes a duration as prose does: "2 s", "10 min", "48 h".
func spoken(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%g s", d.Seconds())
}

// TestDocumentedDefaults checks that the defaults and limits the docs quote
// are the code's: change a default and this test names the sentence to
// change with it.
func TestDocumentedDefaults(t *testing.T) {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	facts := []struct{ file, want string }{
		{"docs/rules.md", fmt.Sprintf("| `timezone` | IANA zone | `%s` |", rules.DefaultTimezone)},
		{"docs/rules.md", fmt.Sprintf("| `group_by` | `admin1`, `country`, `place`, `rule` | `%s` |", rules.DefaultGroupBy)},
		{"docs/rules.md", fmt.Sprintf("| `group_window` | duration | `%s` |", short(time.Duration(rules.DefaultGroupWindow)))},
		{"docs/rules.md", fmt.Sprintf("| `update_interval` | duration | `%s` |", short(time.Duration(rules.DefaultUpdateInterval)))},
		{"docs/rules.md", fmt.Sprintf("| `max` | whole number ≥ 1 | %d |", rules.DefaultDigestMax)},
		{"docs/rules.md", fmt.Sprintf("| `interval` | duration ≥ 1m | `%s` |", short(time.Duration(rules.DefaultFeedInterval)))},
		{"docs/rules.md", fmt.Sprintf("shingle: %d ", dedup.DefaultShingle)},
		{"docs/rules.md", fmt.Sprintf("containment: %s ", g(dedup.DefaultContainment))},
		{"docs/rules.md", fmt.Sprintf("defaults, %d words,\n%s and %d days", dedup.DefaultShingle, g(dedup.DefaultContainment), dedup.DefaultSpan/(24*time.Hour))},
		{"docs/rules.md", fmt.Sprintf("window: %dd ", dedup.DefaultSpan/(24*time.Hour))},
		{"docs/rules.md", fmt.Sprintf("up to %d,%03d reports", dedup.DefaultWindow/1000, dedup.DefaultWindow%1000)},
		{"docs/architecture.md", fmt.Sprintf("%d-word shingles", dedup.DefaultShingle)},
		{"docs/architecture.md", fmt.Sprintf("default %s)", g(dedup.DefaultContainment))},
		{"docs/architecture.md", fmt.Sprintf("`group_window` (%s)", short(time.Duration(rules.DefaultGroupWindow)))},
		{"docs/architecture.md", fmt.Sprintf("`update_interval` (%s)", short(time.Duration(rules.DefaultUpdateInterval)))},
		{"docs/architecture.md", fmt.Sprintf("(%s doubling to %s;", spoken(bot.DefaultBaseBackoff), spoken(bot.DefaultMaxBackoff))},
		{"docs/architecture.md", fmt.Sprintf("or %d attempts", bot.DefaultMaxAttempts)},
		{"docs/architecture.md", fmt.Sprintf("at least %s when the outcome is unknown", spoken(bot.DefaultSettle))},
		{"docs/architecture.md", fmt.Sprintf("(%s doubling to %s)", spoken(bot.DefaultAuthBackoff), spoken(bot.DefaultMaxAuthBackoff))},
		{"docs/slack.md", fmt.Sprintf("after %s, then at doubling intervals up to %s", spoken(bot.DefaultAuthBackoff), spoken(bot.DefaultMaxAuthBackoff))},
		{"docs/slack.md", fmt.Sprintf("wirewatch waits %s, then looks", spoken(bot.DefaultSettle))},
		{"docs/slack.md", fmt.Sprintf("%s doubling up to %s", spoken(bot.DefaultBaseBackoff), spoken(bot.DefaultMaxBackoff))},
		{"docs/telegram.md", fmt.Sprintf("after %s, then at doubling intervals up to %s", spoken(bot.DefaultAuthBackoff), spoken(bot.DefaultMaxAuthBackoff))},
		{"docs/telegram.md", fmt.Sprintf("`sendMessage` waits up to %s", spoken(telegram.DefaultSendTimeout))},
		{"docs/telegram.md", fmt.Sprintf("wirewatch waits %s, sends it again", spoken(bot.DefaultSettle))},
		{"docs/telegram.md", fmt.Sprintf("%s doubling up to %s", spoken(bot.DefaultBaseBackoff), spoken(bot.DefaultMaxBackoff))},
		{"docs/commands.md", fmt.Sprintf("(default %d, at most %d)", bot.DefaultResults, bot.MaxResults)},
		{"docs/formats.md", fmt.Sprintf("(%d MiB by default)", corpus.DefaultMaxSize>>20)},
		{"docs/telegram.md", fmt.Sprintf("under %d units", telegram.MaxMessageLen)},
		{"docs/telegram.md", fmt.Sprintf("| `TELEGRAM_API_URL` | `%s` |", telegram.DefaultAPIURL)},
	}
	docs := map[string]string{}
	for _, f := range facts {
		text, ok := docs[f.file]
		if !ok {
			data, err := os.ReadFile(filepath.Join(root, f.file))
			if err != nil {
				t.Fatal(err)
			}
			text = strings.Join(strings.Fields(string(data)), " ")
			docs[f.file] = text
		}
		if !strings.Contains(text, strings.Join(strings.Fields(f.want), " ")) {
			t.Errorf("%s does not say %q: a default changed, or the sentence did", f.file, f.want)
		}
	}
}

// TestSkipReasonsDocumented checks that docs/formats.md lists every reason
// a file is skipped for, as the scan summary and the metrics name it.
func TestSkipReasonsDocumented(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "docs/formats.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range corpus.Reasons {
		if !strings.Contains(string(data), "| `"+r+"` |") {
			t.Errorf("docs/formats.md has no row for the skip reason %q", r)
		}
	}
}

// TestMetricsDocumented checks that docs/operations.md has a row for every
// series the bot serves, and names no series it does not serve.
func TestMetricsDocumented(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "docs/operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	m := bot.NewMetrics()
	m.OutboxGauges(nil, bot.SystemClock{}, nil) // declared only; never scraped here
	(&bot.FeedPoller{}).DeclareGauges(m)
	served := map[string]bool{}
	for _, name := range m.Names() {
		served[name] = true
		if !strings.Contains(doc, "| `"+name+"` |") {
			t.Errorf("docs/operations.md has no row for %s", name)
		}
	}
	for _, f := range repoFiles(t) {
		if !strings.HasSuffix(f.path, ".md") {
			continue
		}
		for _, name := range metricName.FindAllString(f.text, -1) {
			base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_count"), "_sum")
			if !served[base] {
				t.Errorf("%s names %s, which the bot does not serve", f.path, name)
			}
		}
	}
}

// metricName is a wirewatch series name as docs write it: in backticks or
// in a PromQL expression, not a Telegram @username such as wirewatch_bot.
var metricName = regexp.MustCompile(`wirewatch_[a-z_]+_(?:total|seconds|rows|depth|info|bucket|count|sum)\b`)
