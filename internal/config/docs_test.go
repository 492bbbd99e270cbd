package config

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestDocumentedEnvironment checks the variables table of
// docs/configuration.md and the values in .env.example against what
// Load does with an empty environment.
func TestDocumentedEnvironment(t *testing.T) {
	cfg, err := Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	defaults := map[string]string{
		"BOT_RULES": cfg.Rules, "BOT_CORPUS_DIR": cfg.CorpusDir, "BOT_DB": cfg.DB,
		"BOT_HTTP_ADDR": cfg.HTTPAddr, "BOT_SCAN_SCHEDULE": cfg.ScanSchedule, "BOT_TIMEZONE": cfg.Timezone,
		"BOT_MAX_FILE_SIZE": strconv.FormatInt(cfg.MaxFileSize, 10), "LOG_LEVEL": cfg.LogLevel, "BOT_RETENTION": "", "LOG_FORMAT": cfg.LogFormat,
		"TELEGRAM_API_URL": cfg.TelegramAPIURL, "TELEGRAM_LINK_PREVIEWS": "false", "TELEGRAM_ACTIONS_BY": cfg.TelegramActionsBy,
	}
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	_, vars, _ := strings.Cut(string(doc), "\n## Variables\n")
	vars, _, _ = strings.Cut(vars, "\n## ")
	documented := map[string]bool{}
	for line := range strings.Lines(vars) {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[1]), "`")
		def, ok := defaults[name]
		if !ok {
			continue
		}
		documented[name] = true
		if got := strings.Trim(strings.TrimSpace(cells[2]), "`"); got != def {
			t.Errorf("docs/configuration.md: %s defaults to %q, the code to %q", name, got, def)
		}
	}
	for name := range defaults {
		if !documented[name] && !strings.HasPrefix(name, "TELEGRAM_") {
			t.Errorf("docs/configuration.md has no row for %s", name)
		}
	}

	// .env.example must not set what the container sets, and what it sets
	// must be the default, so copying it changes nothing by surprise.
	f, err := os.Open("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf(".env.example:%d: not NAME=value: %q", n, line)
			continue
		}
		switch name {
		case "BOT_RULES", "BOT_CORPUS_DIR", "BOT_DB", "BOT_HTTP_ADDR", "LOG_FORMAT":
			t.Errorf(".env.example:%d: sets %s, which overrides the container image's; leave it in a comment", n, name)
		}
		if def, ok := defaults[name]; ok && value != def {
			t.Errorf(".env.example:%d: %s=%s, but the default is %q", n, name, value, def)
		}
	}
}
