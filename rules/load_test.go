package rules

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zones in tests do not depend on the machine

	"github.com/wirewatch/wirewatch/geo"
)

// testEnv is the environment the fixtures see.
var testEnv = map[string]string{"FEED_TOKEN": "t0k", "EMPTY": ""}

func testLoader() Loader {
	return Loader{Gazetteer: testGazetteer(), LookupEnv: func(k string) (string, bool) {
		v, ok := testEnv[k]
		return v, ok
	}}
}

// TestLoadErrors loads one fixture per kind of mistake and checks the one
// message it must give, position and all.
func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		file, want string
	}{
		{"conf.alias-unknown-place.yml", `2:3: aliases.Qalanau: alias "Qalanau" names "Qala-i-Nowhere", which is not a place of the gazetteer`},
		{"conf.bad-digest-time.yml", `3:9: digests[0].at: "24:30" is not a time of day; write "HH:MM" (24-hour), e.g. "08:00"`},
		{"conf.bad-duration.yml", `4:19: rules[0].group_window: "2 days" is not a duration; write e.g. 90m, 48h or 2d`},
		{"conf.bad-feed-url.yml", `3:10: feeds[0].url: "feeds.example.org/rss" is not an http or https address`},
		{"conf.bad-group-by.yml", `4:15: rules[0].group_by: unknown grouping "province"; use admin1, country, place or rule`},
		{"conf.bad-name.yml", `2:11: rules[0].name: rule name "big quake" may only hold letters, digits, "-", "_" and "." (it is typed in chat commands)`},
		{"conf.bad-telegram-id.yml", `2:21: channels.field.telegram: Telegram chat id "chat-42" is neither a number (-1001234567890) nor a @channelname`},
		{"conf.bad-timezone.yml", `1:11: timezone: unknown time zone "Asia/Kabil"; use an IANA name such as "Asia/Kabul" or "UTC"`},
		{"conf.channel-no-destination.yml", `2:3: channels.ops: no destination; give one of slack: ID, telegram: "chat id" or console: true`},
		{"conf.channel-two-destinations.yml", `2:3: channels.ops: two destinations (slack and telegram); a channel sends to one place, so define one channel for each`},
		{"conf.dedup-range.yml", `2:16: dedup.containment: 1.5 is out of range; use a share above 0 and at most 1, such as 0.5`},
		{"conf.dedup-window.yml", `2:11: dedup.window: 30m is too short; use at least 1h`},
		{"conf.digest-max.yml", `4:10: digests[0].max: must be at least 1`},
		{"conf.digest-no-time.yml", `2:5: digests[0].at: digest needs a time: at: "HH:MM"`},
		{"conf.digest-unknown-rule.yml", `7:13: digests[0].rules[0]: unknown rule "quakes" (did you mean "quake"?)`},
		{"conf.duplicate-channel.yml", `3:3: channels: channel "ops" written twice (first at line 2)`},
		{"conf.duplicate-digest.yml", `4:11: digests[1].name: duplicate digest name "daily" (first at line 2)`},
		{"conf.duplicate-key.yml", `4:5: rules[0]: field "name" written twice (first at line 2)`},
		{"conf.duplicate-rule.yml", `4:11: rules[1].name: duplicate rule name "quake" (first at line 2)`},
		{"conf.empty-any.yml", `4:12: rules[0].keywords.any: empty keyword list; remove it or list keywords`},
		{"conf.empty-keyword.yml", `4:25: rules[0].keywords.any[1]: keyword "--" has no letters or digits, so it can never match`},
		{"conf.feed-timeout.yml", `5:14: feeds[0].timeout: 10m is longer than the feed's interval (5m); a fetch must end before the next one is due`},
		{"conf.feed-interval.yml", `4:15: feeds[0].interval: 20s is too short; use at least 1m`},
		{"conf.keywords-string.yml", `3:15: rules[0].keywords: expected {any: [...], all: [...], none: [...]} or a list of keywords, got a string`},
		{"conf.missing-name.yml", `2:5: rules[0].name: rule needs a name`},
		{"conf.no-keywords.yml", `2:5: rules[0].keywords: no keywords; add keywords.any or keywords.all`},
		{"conf.not-a-mapping.yml", `1:1: top level: expected a mapping, got a list`},
		{"conf.only-none.yml", `4:7: rules[0].keywords: only none keywords; add keywords.any or keywords.all to say what the rule looks for`},
		{"conf.region-cycle.yml", `2:17: regions.west[1]: region "west" contains itself: west -> east -> west`},
		{"conf.syntax.yml", `3:38: YAML syntax: ',' or ']' must be specified`},
		{"conf.too-deep.yml", `6:76: lists and mappings nest more than 64 levels deep here (a rules file needs about 6); check for unclosed [ or { and for stray "- "`},
		{"conf.two-documents.yml", `2:1: only one YAML document is allowed; remove the "---" line`},
		{"conf.undefined-alias.yml", `3:15: alias *quake-words has no anchor &quake-words before it`},
		{"conf.unknown-channel.yml", `6:21: rules[0].channels[1]: unknown channel "opps" (did you mean "ops"?)`},
		{"conf.unknown-field.yml", `2:1: unknown field "rule" (did you mean "rules"?)`},
		{"conf.unknown-region.yml", `4:24: rules[0].regions[1]: unknown region "badgis": not a place of the gazetteer, an alias or a region of this file (did you mean "Badghis"?)`},
		{"conf.unknown-rule-field.yml", `4:5: rules[0]: unknown field "chanels" (did you mean "channels"?)`},
		{"conf.unquoted-time.yml", `3:9: digests[0].at: 800 is not a time of day; write "HH:MM" in quotes, e.g. "08:00"`},
		{"conf.unset-env.yml", `2:16: channels.ops.slack: environment variable WIREWATCH_TEST_UNSET is not set; set it, or write ${WIREWATCH_TEST_UNSET:-default}`},
		{"conf.wrong-type.yml", `4:14: rules[0].regions: expected a list, got a string; write [a, b] or one "- item" per line`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			cfg, err := testLoader().Load(path)
			if err == nil {
				t.Fatalf("Load = %+v, nil; want error %q", cfg, tc.want)
			}
			if cfg != nil {
				t.Errorf("Load returned a Config with its error")
			}
			if got, want := err.Error(), path+":"+tc.want; got != want {
				t.Errorf("error\n got %s\nwant %s", got, want)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) != 1 || list[0].File != path {
				t.Errorf("error is %T %v; want an ErrorList of one *Error in %s", err, err, path)
			}
		})
	}
}

// TestEveryFixtureIsTested keeps the table above and testdata/ in step.
func TestEveryFixtureIsTested(t *testing.T) {
	src, err := os.ReadFile("load_test.go")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/conf.*.yml")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		if !strings.Contains(string(src), `"`+filepath.Base(f)+`"`) {
			t.Errorf("%s is not tested", f)
		}
	}
}

// TestLoadReportsEveryError checks that one Load lists every problem of a
// file, in file order, not just the first.
func TestLoadReportsEveryError(t *testing.T) {
	path := filepath.Join("testdata", "conf.many.yml")
	_, err := testLoader().Load(path)
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Load error is %T %v; want ErrorList", err, err)
	}
	want := []string{
		`2:11: timezone: unknown time zone "Mars/Olympus"; use an IANA name such as "Asia/Kabul" or "UTC"`,
		`4:29: channels.ops: unknown field "telgram" (did you mean "telegram"?)`,
		`7:35: rules[0].keywords: unknown field "nne" (did you mean "none"?)`,
		`8:15: rules[0].regions[0]: unknown region "badgis": not a place of the gazetteer, an alias or a region of this file (did you mean "Badghis"?)`,
		`9:16: rules[0].channels[0]: unknown channel "opps" (did you mean "ops"?)`,
		`10:19: rules[0].group_window: "soon" is not a duration; write e.g. 90m, 48h or 2d`,
		`11:11: rules[1].name: duplicate rule name "quake" (first at line 6)`,
		`12:15: rules[1].keywords.any: empty keyword list; remove it or list keywords`,
		`15:9: digests[0].at: "8h" is not a time of day; write "HH:MM" (24-hour), e.g. "08:00"`,
		`16:20: digests[0].rules[1]: unknown rule "flood"`,
	}
	for i := range want {
		want[i] = path + ":" + want[i]
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// TestLoadGood decodes every field of a valid file, with YAML anchors,
// merge keys, ${VAR} expansion and defaults.
func TestLoadGood(t *testing.T) {
	cfg, err := testLoader().Load(filepath.Join("testdata", "conf.good.yml"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Path:     filepath.Join("testdata", "conf.good.yml"),
		Timezone: "Asia/Kabul",
		Channels: []Channel{
			{Name: "ops", Slack: "C0123456789"},
			{Name: "field", Telegram: "-1001234567890"},
			{Name: "local", Console: true},
			{Name: "public", Telegram: "@wirewatch_af"},
		},
		Regions: []Region{
			{Name: "western-afghanistan", Members: []string{"herat", "badghis", "farah", "ghor"}},
			{Name: "west-and-capital", Members: []string{"western-afghanistan", "kabul"}},
		},
		Aliases: map[string]string{"Kala-i-Nau": "Qala i Naw"},
		Rules: []Rule{{
			Name: "provincial-capital-assault",
			Keywords: Keywords{
				Any: []string{"assault", "all-out assault", "stormed"}, All: []string{"taliban"}, None: []string{"drill"},
			},
			Regions: []string{"western-afghanistan"}, Channels: []string{"ops", "field"},
			GroupBy: "admin1", GroupWindow: Duration(36 * time.Hour), UpdateInterval: Duration(15 * time.Minute),
		}, {
			Name:     "kabul",
			Keywords: Keywords{Any: []string{"explosion", "blast"}},
			Regions:  []string{"Kabul"}, Channels: []string{"ops"},
			GroupBy: "place", GroupWindow: Duration(48 * time.Hour), UpdateInterval: DefaultUpdateInterval,
		}},
		Digests: []Digest{
			{Name: "daily", At: "08:00", Timezone: "Asia/Kabul", Channels: []string{"ops", "local"}, Rules: []string{"provincial-capital-assault"}, Max: 20},
			{Name: "evening", At: "19:30", Timezone: "Europe/Paris", Max: 5},
		},
		Dedup: Dedup{Shingle: 4, Containment: 0.7, Window: Duration(72 * time.Hour)},
		Feeds: []Feed{
			{Name: "wire", URL: "https://example.org/feed.xml?token=t0k", Interval: Duration(30 * time.Minute), Timeout: DefaultFeedTimeout},
			{Name: "other", URL: "http://example.org/atom", Interval: DefaultFeedInterval, Timeout: DefaultFeedTimeout},
		},
	}
	cfg.pos = positions{}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("Load =\n%+v\nwant\n%+v", cfg, want)
	}
}

// TestParseDefaults checks the values a nearly empty file gets.
func TestParseDefaults(t *testing.T) {
	cfg, err := Loader{}.Parse("r.yml", []byte("rules:\n  - name: q\n    keywords: [quake]\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Rules[0]
	if cfg.Timezone != "UTC" || r.GroupBy != "admin1" || r.GroupWindow != DefaultGroupWindow ||
		r.UpdateInterval != DefaultUpdateInterval || cfg.Dedup != (Dedup{}) {
		t.Errorf("defaults: %+v", cfg)
	}
	for _, empty := range []string{"", "# nothing\n", "{}\n"} {
		if _, err := (Loader{}).Parse("e.yml", []byte(empty)); err != nil {
			t.Errorf("Parse(%q) = %v; want an empty Config", empty, err)
		}
	}
}

// TestLoadMissingFile returns the os error, wrapped.
func TestLoadMissingFile(t *testing.T) {
	_, err := Loader{}.Load(filepath.Join(t.TempDir(), "nope.yml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load = %v; want os.ErrNotExist", err)
	}
}

// TestValidateBuiltConfig checks a Config made in code, with no positions.
func TestValidateBuiltConfig(t *testing.T) {
	cfg := &Config{Path: "code", Rules: []Rule{{Name: "q", Keywords: Keywords{Any: []string{"quake"}}, Regions: []string{"Atlantis"}}}}
	err := Validate(cfg, testGazetteer())
	want := `code: rules[0].regions[0]: unknown region "Atlantis": not a place of the gazetteer, an alias or a region of this file`
	if err == nil || err.Error() != want {
		t.Errorf("Validate = %v; want %s", err, want)
	}
	if err := Validate(cfg, nil); err != nil {
		t.Errorf("Validate without gazetteer = %v; want nil (regions unchecked)", err)
	}
}

// TestDefaultRulesFile checks the repository's rules.yaml against the
// embedded gazetteer.
func TestDefaultRulesFile(t *testing.T) {
	cfg, err := Loader{Gazetteer: geo.Default()}.Load("../rules.yaml")
	if err != nil {
		t.Fatalf("rules.yaml:\n%v", err)
	}
	if got, want := cfg.Summary(), "../rules.yaml: 3 rules, 2 channels, 1 region, 1 digest, 0 feeds"; got != want {
		t.Errorf("Summary = %q; want %q", got, want)
	}
	if _, err := Compile(cfg, geo.Default()); err != nil {
		t.Errorf("Compile: %v", err)
	}
}

// TestMergeBombs checks that merge keys that refer to themselves, or fan
// out through aliases of aliases, end with one error instead of running
// for ever.
func TestMergeBombs(t *testing.T) {
	var b strings.Builder
	b.WriteString("x-0: &m0 {group_by: rule}\n")
	for i := 1; i <= 7; i++ {
		fmt.Fprintf(&b, "x-%d: &m%d\n  <<: [", i, i)
		for j := 0; j < 12; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*m%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("rules:\n  - name: q\n    keywords: [quake]\n    <<: *m7\n")
	for _, src := range []string{
		b.String(),
		"rules:\n  - &a {name: x, keywords: [a], <<: *a}\n",
	} {
		_, err := Loader{}.Parse("m.yml", []byte(src))
		var list ErrorList
		if !errors.As(err, &list) || len(list) != 1 || !strings.Contains(list[0].Msg, "merge keys (<<)") {
			t.Errorf("Parse = %v; want one error about merge keys", err)
		}
	}
}

// TestLoadUsesDefaults checks that the package-level Load checks places
// against the built-in gazetteer and reads the environment.
func TestLoadUsesDefaults(t *testing.T) {
	t.Setenv("WIREWATCH_RULES_TEST_OPS", "C42")
	src := "channels:\n  ops: {slack: \"${WIREWATCH_RULES_TEST_OPS}\"}\nrules:\n  - {name: q, keywords: [quake], regions: [Badghes, Atlantisland]}\n"
	_, err := Parse("p.yml", []byte(src))
	want := `p.yml:4:53: rules[0].regions[1]: unknown region "Atlantisland": not a place of the gazetteer, an alias or a region of this file`
	if err == nil || err.Error() != want {
		t.Fatalf("Parse = %v; want %s", err, want)
	}
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(src, ", Atlantisland", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Channels[0].Slack != "C42" || cfg.Path != path {
		t.Errorf("Load = %+v", cfg)
	}
}
