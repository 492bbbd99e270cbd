package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/chat"
)

// Command is one chat command, written once: /help, the answer to an
// unknown command, usage replies, Telegram's command menu and the Slack
// app manifest are all made from the table Commands returns. Adding a
// command is adding an entry there.
type Command struct {
	// Name is what users type after the slash, lower case: "latest".
	Name string
	// Args is the usage of its arguments: "<region or words> [n]".
	Args string
	// Help says in a few words what it does: "newest articles about a
	// place (any spelling) or words".
	Help string
	// Example is a complete use, shown in usage replies and the Telegram
	// menu: "/latest badghis 5" ("" for none).
	Example string
	// Access says who may run it.
	Access Access
	// Hidden commands answer but are listed nowhere (Telegram's /start).
	Hidden bool
	// Run answers the command; args are its arguments without a trailing
	// "public".
	Run func(r *Router, ctx context.Context, c chat.Command, args string) chat.Message
}

// Access says who may run a command.
type Access int

const (
	// Anyone in a channel the bot answers in.
	Anyone Access = iota
	// Moderators are those who may change what the bot does in the
	// channel (its subscriptions, its mutes), as Router.MayAct decides;
	// anyone, where the platform has no such notion.
	Moderators
)

// Commands returns the chat commands in the order /help and the menus list
// them.
func Commands() []Command {
	return []Command{
		{Name: "latest", Args: "<region or words> [n]", Help: "newest articles about a place (any spelling) or words",
			Example: "/latest badghis 5", Run: (*Router).latest},
		{Name: "search", Args: "<words>", Help: "newest articles containing all the words",
			Example: "/search commandos airport", Run: (*Router).search},
		{Name: "digest", Args: "[name]", Help: "the digest for this channel, now", Run: (*Router).digest},
		{Name: "subscribe", Args: "<digest> [HH:MM] [timezone]", Help: "get a digest here every day",
			Example: "/subscribe afghanistan-daily 07:30 Asia/Kabul", Access: Moderators, Run: (*Router).subscribe},
		{Name: "unsubscribe", Args: "<digest>", Help: "stop a digest here",
			Example: "/unsubscribe afghanistan-daily", Access: Moderators, Run: (*Router).unsubscribe},
		{Name: "rules", Help: "the rules and where they post, and what is muted here", Run: (*Router).rulesAndMutes},
		{Name: "why", Args: "<story>", Help: "why a story alerted (the # number on the alert)",
			Example: "/why 12", Run: (*Router).why},
		{Name: "reports", Args: "<story> [page]", Help: "every report of a story, 10 a page",
			Example: "/reports 12 2", Run: (*Router).reports},
		{Name: "mute", Args: "<rule, region, story N or rule in region> <duration>",
			Help:    "silence alerts and replies here for a while (m, h, d or w)",
			Example: "/mute story 12 6h", Access: Moderators, Run: (*Router).mute},
		{Name: "mutes", Help: "what is muted here, until when and by whom", Run: (*Router).mutes},
		{Name: "unmute", Args: "<number or what>", Help: "lift a mute here",
			Example: "/unmute 3", Access: Moderators, Run: (*Router).unmute},
		{Name: "follow", Args: "[story]", Help: "get a story's later reports privately (no story: what you follow)",
			Example: "/follow 12", Run: (*Router).follow},
		{Name: "unfollow", Args: "<story>", Help: "stop a story's private reports",
			Example: "/unfollow 12", Run: (*Router).unfollow},
		{Name: "status", Help: "delivery and scan status, and what mutes kept from here", Run: (*Router).statusAndMutes},
		{Name: "help", Help: "the commands", Run: (*Router).help},
		{Name: "start", Hidden: true, Run: (*Router).help},
	}
}

// findCommand returns the command called name (any case).
func findCommand(name string) (Command, bool) {
	for _, c := range Commands() {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Command{}, false
}

// Usage is "/NAME ARGS".
func (c Command) Usage() string { return strings.TrimSpace("/" + c.Name + " " + c.Args) }

// Description is Help as a sentence, for menus: "Newest articles ...".
func (c Command) Description() string {
	if c.Help == "" {
		return ""
	}
	return strings.ToUpper(c.Help[:1]) + c.Help[1:]
}

// MenuText is Description with the example, for a command menu such as
// Telegram's: "Newest articles about a place (any spelling) or words:
// /latest badghis 5".
func (c Command) MenuText() string {
	if c.Example == "" {
		return c.Description()
	}
	return c.Description() + ": " + c.Example
}

// Menu is the command table as a platform's command menu lists it: every
// command that is not hidden, with its MenuText.
func Menu() []chat.MenuItem {
	var out []chat.MenuItem
	for _, c := range Commands() {
		if !c.Hidden {
			out = append(out, chat.MenuItem{Command: c.Name, Description: c.MenuText()})
		}
	}
	return out
}

// usageReply tells how to use command name.
func usageReply(name string) chat.Message {
	c, _ := findCommand(name)
	s := fmt.Sprintf("Usage: %s (%s)", c.Usage(), c.Help)
	if c.Example != "" {
		s += ", e.g. " + c.Example
	}
	return text(s)
}

// HelpText is the answer to /help.
func HelpText() string {
	var b strings.Builder
	b.WriteString("Commands:\n")
	for _, c := range Commands() {
		if !c.Hidden {
			fmt.Fprintf(&b, "%s — %s\n", c.Usage(), c.Help)
		}
	}
	b.WriteString(`Add "public" at the end of a command to show the answer to the whole channel.`)
	return b.String()
}

func (r *Router) help(context.Context, chat.Command, string) chat.Message { return text(HelpText()) }

// unknownCommand answers a command the table lacks, suggesting the one
// meant when there is a likely one.
func unknownCommand(name string) chat.Message {
	if s := suggest(name); s != "" {
		return text(fmt.Sprintf("Unknown command /%s. Did you mean /%s? /help lists the commands.", name, s))
	}
	return text(fmt.Sprintf("Unknown command /%s. Try /help.", name))
}

// suggest returns the command that name starts, when it starts exactly
// one, else the nearest within two typing mistakes, else "".
func suggest(name string) string {
	lower := strings.ToLower(name)
	var prefixed []string
	best, dist := "", 3
	for _, c := range Commands() {
		if c.Hidden {
			continue
		}
		if len(lower) >= 2 && strings.HasPrefix(c.Name, lower) {
			prefixed = append(prefixed, c.Name)
		}
		if d := editDistance(lower, c.Name); d < dist {
			best, dist = c.Name, d
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
