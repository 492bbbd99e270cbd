package bot

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The table must fit every menu made from it: Telegram's setMyCommands
// takes 1-32 characters of a-z, 0-9 and _ and a description of 3-256;
// Slack's slash commands are at most 32 characters.
func TestCommandTableFitsTheMenus(t *testing.T) {
	name := regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	seen := map[string]bool{}
	for _, c := range Commands() {
		if !name.MatchString(c.Name) || seen[c.Name] {
			t.Errorf("command %q: not a unique name of 1-32 a-z, 0-9 and _", c.Name)
		}
		seen[c.Name] = true
		if c.Run == nil {
			t.Errorf("/%s has no handler", c.Name)
		}
		if c.Hidden {
			continue
		}
		if n := len([]rune(c.MenuText())); n < 3 || n > 256 {
			t.Errorf("/%s: menu text of %d characters, want 3-256", c.Name, n)
		}
		if c.Example != "" && !strings.HasPrefix(c.Example, "/"+c.Name+" ") {
			t.Errorf("/%s: example %q is not a use of it", c.Name, c.Example)
		}
	}
}

func TestHelpIsTheTable(t *testing.T) {
	f := newRouterFixture(t)
	help := f.cmd("help", "").Text
	for _, c := range Commands() {
		line := c.Usage() + " — " + c.Help
		if strings.Contains(help, line) == c.Hidden {
			t.Errorf("/help and /%s (hidden %v) disagree:\n%s", c.Name, c.Hidden, help)
		}
	}
	if f.cmd("start", "").Text != help || f.cmd("", "").Text != help {
		t.Error("/start or an empty command does not answer with the help")
	}
}

func TestUnknownCommandSuggestsTheNearest(t *testing.T) {
	f := newRouterFixture(t)
	for in, want := range map[string]string{
		"lates":      "Unknown command /lates. Did you mean /latest?",
		"Subscirbe":  "Did you mean /subscribe?",
		"frobnicate": "Unknown command /frobnicate. Try /help.",
		"sta":        "Did you mean /status?",
	} {
		if got := f.cmd(in, "").Text; !strings.Contains(got, want) {
			t.Errorf("/%s: %q, want %q", in, got, want)
		}
	}
}

func TestUsageRepliesComeFromTheTable(t *testing.T) {
	f := newRouterFixture(t)
	for _, name := range []string{"latest", "search", "subscribe", "unsubscribe", "why", "mute", "unmute", "unfollow"} {
		c, _ := findCommand(name)
		got := f.cmd(name, "").Text
		if !strings.HasPrefix(got, "Usage: "+c.Usage()) || c.Example != "" && !strings.Contains(got, c.Example) {
			t.Errorf("/%s without arguments: %q", name, got)
		}
	}
}

// Moderators commands ask MayAct; the others do not.
func TestModeratorsCommandsAskWhoMayAct(t *testing.T) {
	f := newRouterFixture(t)
	var asked []string
	allow := false
	f.router.MayAct = func(_ context.Context, transport, channel, user string) (bool, error) {
		asked = append(asked, transport+"/"+channel+"/"+user)
		return allow, nil
	}
	if got := f.cmd("mute", "badghis 6h").Text; !strings.Contains(got, "Only those who manage this channel may /mute") {
		t.Errorf("refused /mute: %q", got)
	}
	mutes, err := f.store.Mutes(context.Background(), f.clock.Now())
	if err != nil || len(mutes) != 0 {
		t.Fatalf("a refused /mute stored %+v (%v)", mutes, err)
	}
	if got := f.cmd("latest", "badghis"); len(got.Items) != 2 {
		t.Errorf("/latest refused or wrong for someone who may not moderate: %q", got.Text)
	}
	if len(asked) != 1 || asked[0] != "slack/C1/U1" {
		t.Errorf("MayAct asked %v, want once for slack/C1/U1", asked)
	}
	allow = true
	if got := f.cmd("mute", "badghis 6h").Text; !strings.HasPrefix(got, "Muted") {
		t.Errorf("allowed /mute: %q", got)
	}
	f.router.MayAct = func(context.Context, string, string, string) (bool, error) {
		return false, errors.New("getChatMember: timeout")
	}
	if got := f.cmd("unsubscribe", "daily").Text; !strings.Contains(got, "failed on our side") {
		t.Errorf("/unsubscribe when MayAct fails: %q", got)
	}
	for _, c := range Commands() {
		if (c.Access == Moderators) != (c.Name == "subscribe" || c.Name == "unsubscribe" || c.Name == "mute" || c.Name == "unmute") {
			t.Errorf("/%s: access %v", c.Name, c.Access)
		}
	}
}

// TestCommandsDocumented checks the chat commands of docs/commands.md
// against the table: a row for every command, and no row for a command
// that does not exist.
func TestCommandsDocumented(t *testing.T) {
	raw, err := os.ReadFile("../docs/commands.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(raw), "\n## Chat commands\n")
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile("(?m)^\\| `/([a-z_]+)")
	documented := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		documented[m[1]] = true
		if _, ok := findCommand(m[1]); !ok {
			t.Errorf("docs/commands.md documents /%s, which the command table lacks", m[1])
		}
	}
	for _, c := range Commands() {
		if !c.Hidden && !documented[c.Name] {
			t.Errorf("docs/commands.md has no row for /%s", c.Name)
		}
	}
}
