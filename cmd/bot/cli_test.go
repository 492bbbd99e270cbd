package main

import (
	"strings"
	"testing"
)

func TestHelpListsEveryCommandAndExitsZero(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, errs := runMain(t, testEnv(t, nil), args...)
		if code != 0 || errs != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
		for _, c := range commands {
			if !strings.Contains(out, "bot "+c.Name) {
				t.Errorf("%v: usage lacks %q:\n%s", args, c.Name, out)
			}
		}
		for _, want := range []string{"bot healthcheck", "bot version", "bot help", ".env"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: usage lacks %q:\n%s", args, want, out)
			}
		}
	}
	code, _, errs := runMain(t, testEnv(t, nil), "frobnicate")
	if code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) || !strings.Contains(errs, "bot scan") {
		t.Errorf("unknown command: exit %d, stderr %q", code, errs)
	}
}

func TestCommandHelpListsItsFlags(t *testing.T) {
	t.Parallel()
	for cmd, flags := range map[string][]string{
		"scan":   {"-dry-run", "-json"},
		"latest": {"-n int"},
		"digest": {"-dry-run"},
		"check":  {"-rules"},
	} {
		code, out, errs := runMain(t, testEnv(t, nil), cmd, "-h")
		if code != 0 || errs != "" || !strings.HasPrefix(out, "usage: bot "+cmd) {
			t.Errorf("%s -h: exit %d, stdout %q, stderr %q", cmd, code, out, errs)
		}
		for _, f := range flags {
			if !strings.Contains(out, f) {
				t.Errorf("%s -h lacks %s:\n%s", cmd, f, out)
			}
		}
	}
	code, _, errs := runMain(t, testEnv(t, nil), "scan", "--frobnicate")
	if code != 2 || !strings.Contains(errs, "-frobnicate") || !strings.Contains(errs, "usage: bot scan") {
		t.Errorf("unknown flag: exit %d, stderr %q", code, errs)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	code, out, errs := runMain(t, testEnv(t, nil), "version")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// "wirewatch (devel) (commit unknown, go1.26.0)" from a test binary.
	if !strings.HasPrefix(out, "wirewatch ") || !strings.Contains(out, "commit ") || !strings.Contains(out, "go1.") {
		t.Errorf("version line %q lacks the version, commit or Go version", out)
	}
}

func TestLatestCountIsChecked(t *testing.T) {
	t.Parallel()
	for _, n := range []string{"0", "-5", "21", "many"} {
		code, out, errs := runMain(t, testEnv(t, nil), "latest", "badghis", "-n", n)
		if code != 2 || out != "" || !strings.Contains(errs, "-n") || !strings.Contains(errs, "usage: bot latest") {
			t.Errorf("latest -n %s: exit %d, stdout %q, stderr %q", n, code, out, errs)
		}
		if n != "many" && !strings.Contains(errs, "from 1 to 20") {
			t.Errorf("latest -n %s does not say what is allowed: %q", n, errs)
		}
	}
	if code, _, errs := runMain(t, testEnv(t, nil), "latest"); code != 2 || !strings.Contains(errs, "give a place or words") {
		t.Errorf("latest without a query: exit %d, stderr %q", code, errs)
	}
	// A count out of range is named even when the query is missing too.
	if code, _, errs := runMain(t, testEnv(t, nil), "latest", "-n", "0"); code != 2 || !strings.Contains(errs, "-n 0: want a number from 1 to 20") {
		t.Errorf("latest -n 0: exit %d, stderr %q", code, errs)
	}
}

// A scan that stored the corpus (as `run` does) leaves nothing new; a
// later `scan --json` still lists every document.
func TestScanJSONListsDocumentsAlreadyStored(t *testing.T) {
	t.Parallel()
	getenv := testEnv(t, map[string]string{"BOT_RULES": "testdata/console.yaml"})
	if code, out, errs := runMain(t, getenv, "scan"); code != 0 || !strings.Contains(out, "5 new documents") {
		t.Fatalf("first scan: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := runMain(t, getenv, "scan", "--json")
	if code != 0 || strings.Count(out, "\n") != 5 || !strings.Contains(out, `"story":`) {
		t.Fatalf("scan --json after the corpus was stored: exit %d, %d lines\n%s\n%s", code, strings.Count(out, "\n"), out, errs)
	}
	if code, out, _ := runMain(t, getenv, "scan"); code != 0 || !strings.Contains(out, "0 new documents") || strings.Contains(out, "queued") {
		t.Fatalf("a scan after --json finds something new or queues: %s", out)
	}
}
