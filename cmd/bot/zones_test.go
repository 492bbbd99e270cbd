package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeedDatesInEveryZone: the 7 July seed articles (003, 004) carry a
// date without a time, so they show as 2021-07-07 whatever BOT_TIMEZONE
// says, west of UTC as east of it; 002's file time (2021-07-08 14:30 UTC,
// from .filetimes) is a time, shown in the zone.
func TestSeedDatesInEveryZone(t *testing.T) {
	t.Parallel()
	for zone, fileDate := range map[string]string{
		"America/New_York": "2021-07-08 10:30 EDT (file date)",
		"Asia/Kabul":       "2021-07-08 19:00 +0430 (file date)",
		"UTC":              "2021-07-08 14:30 UTC (file date)",
	} {
		t.Run(zone, func(t *testing.T) {
			t.Parallel()
			getenv := testEnv(t, map[string]string{"BOT_TIMEZONE": zone})
			code, out, errs := runMain(t, getenv, "latest", "badghis", "-n", "5")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, want := range []string{"- 2021-07-07  The Taliban launched its first", "- 2021-07-07  The Taliban launched a major", "- 2021-07-08  Smoke covered", "- " + fileDate + "  Afghan forces take back"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "2021-07-06") {
				t.Errorf("a date moved to the day before:\n%s", out)
			}
		})
	}
}

// TestScanCountsSkippedFiles: every file passed over is counted by reason
// in the scan's summary.
func TestScanCountsSkippedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"a.txt": " date 2021-07-07 Taliban fighters stormed Qala-i-Naw, the capital of Badghis.",
		"b.txt": "", "c.md": "  \n", "d.txt": "\x89PNG\x00\x00\x00", "e.json": "{",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runMain(t, testEnv(t, nil), "scan", "--dry-run", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := "4 files skipped (empty file: 2, binary content: 1, malformed: 1)"; !strings.Contains(out, want) {
		t.Errorf("summary lacks %q:\n%s", want, out)
	}
}
