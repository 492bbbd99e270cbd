package bot

import (
	"fmt"
	"strconv"
	"strings"
)

// SlackManifest returns the Slack app manifest for wirewatch (see
// docs/slack.md): the bot user, its scopes (im:write opens the direct
// messages of /follow), one slash command per entry of Commands and
// interactivity for the alert buttons. host is the public name of the
// server that forwards to BOT_HTTP_ADDR; with socketMode commands and
// button presses come over Socket Mode and carry no URL.
//
// Specs: https://api.slack.com/reference/manifests
func SlackManifest(host string, socketMode bool) string {
	var b strings.Builder
	b.WriteString(`_metadata:
  major_version: 1
  minor_version: 1
display_information:
  name: wirewatch
  description: News alerts for the places and words you watch
  background_color: "#1f2933"
features:
  bot_user:
    display_name: wirewatch
    always_online: true
  slash_commands:
`)
	for _, c := range Commands() {
		if c.Hidden {
			continue
		}
		fmt.Fprintf(&b, "    - command: /%s\n", c.Name)
		if !socketMode {
			fmt.Fprintf(&b, "      url: https://%s/slack/commands\n", host)
		}
		fmt.Fprintf(&b, "      description: %s\n", yamlString(c.Description()))
		if c.Args != "" {
			fmt.Fprintf(&b, "      usage_hint: %s\n", yamlString(c.Args))
		}
		b.WriteString("      should_escape: false\n")
	}
	b.WriteString(`oauth_config:
  scopes:
    bot:
      - chat:write
      - commands
      - channels:history
      - groups:history
      - im:write
settings:
  interactivity:
    is_enabled: true
`)
	if !socketMode {
		fmt.Fprintf(&b, "    request_url: https://%s/slack/interactions\n", host)
	}
	fmt.Fprintf(&b, `  org_deploy_enabled: false
  socket_mode_enabled: %t
  token_rotation_enabled: false
`, socketMode)
	return b.String()
}

// yamlString writes s as a YAML scalar: plain when that reads back as the
// same string, double-quoted otherwise.
func yamlString(s string) string {
	plain := s != "" && !strings.ContainsAny(s[:1], "!&*-?[]{}|>'\"%@`#,<") &&
		!strings.Contains(s, ": ") && !strings.Contains(s, " #") && strings.TrimSpace(s) == s
	if plain {
		return s
	}
	return strconv.Quote(s)
}
