package bot

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the Slack manifest in docs/slack.md from the command table")

const slackDoc = "../docs/slack.md"

// manifestBlock returns the text of the manifest's code block in doc and
// where it starts and ends.
func manifestBlock(t *testing.T, doc string) (block string, start, end int) {
	t.Helper()
	h := strings.Index(doc, "## 1. Create the app from a manifest")
	if h < 0 {
		t.Fatalf("%s has no section \"1. Create the app from a manifest\"", slackDoc)
	}
	open := strings.Index(doc[h:], "```yaml\n")
	if open < 0 {
		t.Fatalf("%s: no ```yaml block after the manifest heading", slackDoc)
	}
	start = h + open + len("```yaml\n")
	n := strings.Index(doc[start:], "```\n")
	if n < 0 {
		t.Fatalf("%s: the manifest's code block is not closed", slackDoc)
	}
	return doc[start : start+n], start, start + n
}

// TestSlackManifestInDocsMatchesTheCommands fails when the manifest in
// docs/slack.md and the command table disagree. Regenerate it with
//
//	go test ./bot -run SlackManifestInDocs -update-docs
func TestSlackManifestInDocsMatchesTheCommands(t *testing.T) {
	raw, err := os.ReadFile(slackDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	got, start, end := manifestBlock(t, doc)
	want := SlackManifest("HOST", false)
	if *updateDocs {
		if err := os.WriteFile(slackDoc, []byte(doc[:start]+want+doc[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != want {
		t.Errorf("the manifest in %s is not the command table's; run\n\tgo test ./bot -run SlackManifestInDocs -update-docs\ngot:\n%s\nwant:\n%s", slackDoc, got, want)
	}
}

// TestSlackManifestIsYAMLOfEveryCommand reads the manifest back as YAML.
func TestSlackManifestIsYAMLOfEveryCommand(t *testing.T) {
	type slash struct {
		Command     string `yaml:"command"`
		URL         string `yaml:"url"`
		Description string `yaml:"description"`
		UsageHint   string `yaml:"usage_hint"`
	}
	var m struct {
		Features struct {
			SlashCommands []slash `yaml:"slash_commands"`
		} `yaml:"features"`
		Settings struct {
			SocketMode    bool `yaml:"socket_mode_enabled"`
			Interactivity struct {
				Enabled    bool   `yaml:"is_enabled"`
				RequestURL string `yaml:"request_url"`
			} `yaml:"interactivity"`
		} `yaml:"settings"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
	}
	for _, socket := range []bool{false, true} {
		m.Settings.Interactivity.RequestURL = ""
		if err := yaml.Unmarshal([]byte(SlackManifest("bot.example.org", socket)), &m); err != nil {
			t.Fatalf("socket mode %v: %v", socket, err)
		}
		// The alert buttons post to /slack/interactions (or come over
		// Socket Mode); /follow opens direct messages (im:write).
		wantInteractions := "https://bot.example.org/slack/interactions"
		if socket {
			wantInteractions = ""
		}
		if it := m.Settings.Interactivity; !it.Enabled || it.RequestURL != wantInteractions {
			t.Errorf("socket mode %v: interactivity %+v, want enabled at %q", socket, it, wantInteractions)
		}
		if !slices.Contains(m.OAuth.Scopes.Bot, "im:write") || !slices.Contains(m.OAuth.Scopes.Bot, "chat:write") {
			t.Errorf("scopes %v lack im:write or chat:write", m.OAuth.Scopes.Bot)
		}
		var listed []Command
		for _, c := range Commands() {
			if !c.Hidden {
				listed = append(listed, c)
			}
		}
		if len(m.Features.SlashCommands) != len(listed) || m.Settings.SocketMode != socket {
			t.Fatalf("socket mode %v: %d commands (want %d), socket_mode_enabled %v", socket,
				len(m.Features.SlashCommands), len(listed), m.Settings.SocketMode)
		}
		for i, c := range listed {
			s := m.Features.SlashCommands[i]
			wantURL := "https://bot.example.org/slack/commands"
			if socket {
				wantURL = ""
			}
			if s.Command != "/"+c.Name || s.Description != c.Description() || s.UsageHint != c.Args || s.URL != wantURL {
				t.Errorf("command %d = %+v, want /%s %q %q at %q", i, s, c.Name, c.Description(), c.Args, wantURL)
			}
		}
	}
}
