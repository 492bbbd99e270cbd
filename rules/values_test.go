package rules

import (
	"errors"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"48h", 48 * time.Hour, true},
		{"10m", 10 * time.Minute, true},
		{"90s", 90 * time.Second, true},
		{"1h30m", 90 * time.Minute, true},
		{"2d", 48 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"0.5d", 12 * time.Hour, true},
		{"0s", 0, true},
		{"", 0, false},
		{"10", 0, false},
		{"d", 0, false},
		{"2dd", 0, false},
		{"-1h", 0, false},
		{"-2d", 0, false},
		{"1d-1h", 0, false},
		{"+1h", 0, false},
		{"1e3d", 0, false},
		{"infd", 0, false},
		{"2 days", 0, false},
		{"999999999999d", 0, false},
	} {
		got, err := ParseDuration(tc.in)
		if (err == nil) != tc.ok || time.Duration(got) != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok %v", tc.in, time.Duration(got), err, tc.want, tc.ok)
		}
	}
}

func TestDurationString(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{48 * time.Hour, "2d"},
		{36 * time.Hour, "1d12h"},
		{90 * time.Second, "1m30s"},
		{10 * time.Minute, "10m"},
		{1500 * time.Millisecond, "1.5s"},
		{0, "0s"},
	} {
		if got := Duration(tc.d).String(); got != tc.want {
			t.Errorf("Duration(%v).String() = %q; want %q", tc.d, got, tc.want)
		}
		if tc.d%time.Second == 0 {
			if back, err := ParseDuration(Duration(tc.d).String()); err != nil || time.Duration(back) != tc.d {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v", Duration(tc.d).String(), back, err, tc.d)
			}
		}
	}
}

func TestExpandEnv(t *testing.T) {
	env := map[string]string{"OPS": "C42", "EMPTY": "", "A_1": "x"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for _, tc := range []struct {
		in, want, err string
	}{
		{"C0123", "C0123", ""},
		{"${OPS}", "C42", ""},
		{"pre-${OPS}-${A_1}", "pre-C42-x", ""},
		{"${MISSING:-C7}", "C7", ""},
		{"${EMPTY:-C7}", "C7", ""},
		{"${MISSING:--100123}", "-100123", ""},
		{"${OPS:-C7}", "C42", ""},
		{"$OPS", "$OPS", ""},
		{"cost $5", "cost $5", ""},
		{"${MISSING}", "", "environment variable MISSING is not set; set it, or write ${MISSING:-default}"},
		{"${EMPTY}", "", "environment variable EMPTY is empty; set it, or write ${EMPTY:-default}"},
		{"${OPS", "", `"${OPS": missing } after ${`},
		{"${1X}", "", `${1X}: "1X" is not an environment variable name`},
		{"${}", "", `${}: "" is not an environment variable name`},
	} {
		got, err := expandEnv(tc.in, lookup)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tc.want || gotErr != tc.err {
			t.Errorf("expandEnv(%q) = %q, %q; want %q, %q", tc.in, got, gotErr, tc.want, tc.err)
		}
	}
	if _, err := expandEnv("${OPS}", nil); err == nil {
		t.Error("expandEnv with no environment found OPS")
	}
}

func TestParseClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		h, m int
		ok   bool
	}{
		{"08:00", 8, 0, true},
		{"8:05", 8, 5, true},
		{"23:59", 23, 59, true},
		{"00:00", 0, 0, true},
		{"24:00", 0, 0, false},
		{"12:60", 0, 0, false},
		{"12:5", 0, 0, false},
		{"123:00", 0, 0, false},
		{"8h", 0, 0, false},
		{"08:00:00", 0, 0, false},
		{"+8:00", 0, 0, false},
		{"", 0, 0, false},
	} {
		h, m, ok := ParseClock(tc.in)
		if h != tc.h || m != tc.m || ok != tc.ok {
			t.Errorf("ParseClock(%q) = %d, %d, %v; want %d, %d, %v", tc.in, h, m, ok, tc.h, tc.m, tc.ok)
		}
	}
}

func TestValidTelegramChat(t *testing.T) {
	for in, want := range map[string]bool{
		"-1001234567890": true, "12345": true, "@wirewatch_af": true,
		"": false, "-": false, "@abc": false, "chat-42": false, "@wire watch": false, "@wirewätch": false,
	} {
		if got := validTelegramChat(in); got != want {
			t.Errorf("validTelegramChat(%q) = %v; want %v", in, got, want)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	list := ErrorList{
		{File: "r.yml", Line: 3, Col: 5, Msg: "b"},
		{File: "r.yml", Msg: "no place"},
		{File: "r.yml", Line: 1, Col: 9, Msg: "a"},
		{File: "r.yml", Line: 3, Col: 5, Msg: "b"},
		{Msg: "bare"},
	}
	err := list.err()
	want := "r.yml:1:9: a\nr.yml:3:5: b\nr.yml: no place\nbare"
	if err == nil || err.Error() != want {
		t.Errorf("err() =\n%v\nwant\n%s", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Line != 1 {
		t.Errorf("errors.As found %+v; want the first error", e)
	}
	if (ErrorList{}).err() != nil {
		t.Error("an empty list is an error")
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"keyword", ` (did you mean "keywords"?)`},
		{"chanels", ` (did you mean "channels"?)`},
		{"Regions", ` (did you mean "regions"?)`},
		{"nme", ` (did you mean "name"?)`},
		{"colour", ""},
		{"x", ""},
	} {
		if got := suggest(tc.in, ruleFields); got != tc.want {
			t.Errorf("suggest(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestConfigLookups(t *testing.T) {
	cfg := &Config{
		Channels: []Channel{{Name: "ops", Slack: "C1"}, {Name: "field", Telegram: "-1"}, {Name: "local", Console: true}, {Name: "none"}},
		Rules:    []Rule{{Name: "quake"}},
	}
	for name, want := range map[string]string{"ops": "slack", "field": "telegram", "local": "console", "none": ""} {
		ch, ok := cfg.Channel(name)
		if !ok || ch.Transport() != want {
			t.Errorf("Channel(%q) = %+v, %v; transport %q, want %q", name, ch, ok, ch.Transport(), want)
		}
	}
	if _, ok := cfg.Channel("opps"); ok {
		t.Error(`Channel("opps") found`)
	}
	if r, ok := cfg.Rule("quake"); !ok || r.Name != "quake" {
		t.Errorf(`Rule("quake") = %+v, %v`, r, ok)
	}
	if _, ok := cfg.Rule("flood"); ok {
		t.Error(`Rule("flood") found`)
	}
}
