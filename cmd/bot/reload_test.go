package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunReloadsRulesAndKeepsGoodOnesOnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rulesPath := filepath.Join(dir, "rules.yaml")
	good, err := os.ReadFile("testdata/console.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rulesPath, good, 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := testEnv(t, map[string]string{"BOT_RULES": rulesPath, "BOT_SCAN_SCHEDULE": "@every 1s", "LOG_LEVEL": "info"})
	bot := startBot(t, getenv)
	bot.out.waitFor(t, "== ALERT", 1)

	// A broken edit: reported with its position, the old rules stay.
	broken := strings.Replace(string(good), "keywords:", "keywrods:", 1)
	broken = strings.Replace(broken, "update_interval: 1s", "update_interval: soon", 1)
	if err := os.WriteFile(rulesPath, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	logs := bot.errs.waitFor(t, "rules file has errors", 1)
	// One record per problem, each a line of its own with its position.
	var problems []string
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "rules file problem") {
			problems = append(problems, line)
		}
	}
	if len(problems) < 2 || !strings.Contains(problems[0], "rules.yaml:") || !strings.Contains(logs, "keywrods") ||
		!strings.Contains(logs, "soon") || strings.Contains(logs, `\n`) {
		t.Errorf("the problems are not one record each, with their position:\n%s", logs)
	}
	bot.send("/rules")
	if out := bot.out.waitFor(t, "badghis-assault:", 1); !strings.Contains(out, "to ops, field") {
		t.Errorf("/rules after a broken edit:\n%s", out)
	}

	// A good edit replaces the rules.
	renamed := strings.Replace(string(good), "badghis-assault", "badghis-watch", 1)
	if err := os.WriteFile(rulesPath, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	bot.errs.waitFor(t, "rules reloaded", 1)
	bot.send("/rules")
	bot.out.waitFor(t, "badghis-watch:", 1)
	if n := strings.Count(bot.errs.String(), "rules file has errors"); n != 1 {
		t.Errorf("the broken file was reported %d times, want once", n)
	}
}
