// Package console is the chat transport of a terminal: messages print on
// an io.Writer and commands are read, one per line, from an io.Reader. It
// is what `bot run` uses when no chat token is set.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/internal/english"
)

// Console prints messages and answers typed commands.
type Console struct {
	mu  sync.Mutex
	out io.Writer
	seq int
	// shown is what each message id last printed, so an edit that changes
	// nothing prints nothing.
	shown map[string]string
	// Location is the zone times print in when a message names none (UTC
	// when nil).
	Location *time.Location
}

// New returns a console writing to out.
func New(out io.Writer) *Console { return &Console{out: out} }

// Name is "console".
func (c *Console) Name() string { return "console" }

// Send prints m and returns a sequence number as its id. An edit (m.Kind
// KindEdit of m.ThreadID) whose text is what that message already shows
// prints nothing.
func (c *Console) Send(_ context.Context, m chat.Message) (string, error) {
	m = chat.Clean(m)
	c.mu.Lock()
	defer c.mu.Unlock()
	id := m.ThreadID
	if m.Kind != chat.KindEdit || id == "" {
		c.seq++
		id = strconv.Itoa(c.seq)
	}
	body := c.body(m)
	if m.Kind == chat.KindEdit && c.shown[id] == body {
		return id, nil
	}
	if c.shown == nil {
		c.shown = map[string]string{}
	}
	c.shown[id] = body
	if _, err := io.WriteString(c.out, head(m)+body); err != nil {
		return "", fmt.Errorf("console: %w", err)
	}
	return id, nil
}

// Render formats m as plain text, as Send prints it. Messages carry their
// story number in their text ("Story #12"), which /why accepts.
func (c *Console) Render(m chat.Message) string {
	m = chat.Clean(m)
	return head(m) + c.body(m)
}

// head is the first line of a message of a kind that has one.
func head(m chat.Message) string {
	ch := ""
	if m.Channel != "" {
		ch = " [" + m.Channel + "]"
	}
	h := ""
	switch m.Kind {
	case chat.KindAlert:
		h = "== ALERT" + ch + " " + m.Heading
	case chat.KindUpdate:
		h = "   ↳ REPLY" + ch + " " + m.Heading
	case chat.KindEdit:
		h = "   ✎ EDIT" + ch + " " + m.Heading
	case chat.KindDigest:
		h = "== DIGEST" + ch + " " + m.Heading
	}
	if h == "" {
		return ""
	}
	return strings.TrimRight(h, " ") + "\n"
}

// body is everything of m below its head.
func (c *Console) body(m chat.Message) string {
	var b strings.Builder
	indent := ""
	if m.Kind == chat.KindUpdate || m.Kind == chat.KindEdit {
		indent = "     "
	}
	if m.Article != nil {
		c.article(&b, indent, *m.Article, c.zone(m), true)
		var meta []string
		if m.Sources > 0 {
			meta = append(meta, english.Plural(m.Sources, "source")+": "+strings.Join(m.Outlets, ", "))
		}
		if m.Why != "" {
			meta = append(meta, "why: "+m.Why)
		}
		if len(meta) > 0 {
			fmt.Fprintf(&b, "%s   %s\n", indent, strings.Join(meta, " | "))
		}
	}
	if m.Text != "" {
		for _, l := range strings.Split(m.Text, "\n") {
			fmt.Fprintf(&b, "%s%s\n", indent, l)
		}
	}
	for _, a := range m.Items {
		c.article(&b, indent+"- ", a, c.zone(m), false)
	}
	if line := controls(m.Controls, c.zone(m)); line != "" {
		fmt.Fprintf(&b, "%s   %s\n", indent, line)
	}
	return b.String()
}

// controls shows an alert's buttons as the commands that do the same:
// "actions: /mute story 12 6h · /mute assault in badghis 6h · /why 12 ·
// /follow 12", or, when muted, the mute and "/unmute 3".
func controls(c *chat.Controls, zone string) string {
	if c == nil || c.Story == 0 {
		return ""
	}
	id := strconv.FormatInt(c.Story, 10)
	var acts []string
	head := "actions: "
	if c.Muted != nil {
		status := c.Muted.Status(zone)
		head = strings.ToLower(status[:1]) + status[1:] + ": "
		acts = append(acts, "/unmute "+strconv.FormatInt(c.Muted.ID, 10))
	} else {
		acts = append(acts, "/mute story "+id+" 6h")
		if c.ScopeCommand != "" {
			acts = append(acts, "/mute "+c.ScopeCommand+" 6h")
		}
	}
	acts = append(acts, "/why "+id, "/follow "+id)
	return head + strings.Join(acts, " · ")
}

func (c *Console) article(b *strings.Builder, indent string, a chat.Article, zone string, lead bool) {
	fmt.Fprintf(b, "%s%s  %s", indent, a.When(zone), a.Title)
	var meta []string
	if a.Source != "" {
		meta = append(meta, a.Source)
	}
	if a.Place != "" {
		meta = append(meta, a.Place)
	}
	if len(meta) > 0 {
		fmt.Fprintf(b, "  [%s]", strings.Join(meta, "; "))
	}
	b.WriteString("\n")
	if a.URL != "" {
		fmt.Fprintf(b, "%s   %s\n", strings.Repeat(" ", len(indent)), a.URL)
	}
	if lead && a.Lead != "" {
		fmt.Fprintf(b, "%s   %s\n", strings.Repeat(" ", len(indent)), a.Lead)
	}
}

// zone is the zone m's times print in: its own, else the console's.
func (c *Console) zone(m chat.Message) string {
	if m.Zone != "" || c.Location == nil {
		return m.Zone
	}
	return c.Location.String()
}

// ParseCommand parses a typed line "/latest badghis 5" into a command; ok
// is false for a line that is not a command.
func ParseCommand(line string) (chat.Command, bool) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "/") || len(line) < 2 {
		return chat.Command{}, false
	}
	name, args, _ := strings.Cut(line[1:], " ")
	return chat.Command{Transport: "console", Channel: "console", User: "console", UserName: "console",
		Name: strings.ToLower(name), Args: strings.TrimSpace(args)}, true
}

// Serve reads commands from in, one per line, and prints h's replies
// until in ends or ctx is cancelled. Lines that are not commands get a hint.
func (c *Console) Serve(ctx context.Context, in io.Reader, h chat.Handler) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 64*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				return <-errc
			}
			if strings.TrimSpace(line) == "" {
				continue
			}
			cmd, ok := ParseCommand(line)
			if !ok {
				c.print("Commands start with /, e.g. /latest badghis. Type /help for the list.\n")
				continue
			}
			reply := h.HandleCommand(ctx, cmd)
			c.mu.Lock()
			io.WriteString(c.out, c.Render(reply)) //nolint:errcheck // best effort on a terminal
			c.mu.Unlock()
		}
	}
}

func (c *Console) print(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	io.WriteString(c.out, s) //nolint:errcheck // best effort on a terminal
}

// OpenDirect returns the console itself: a follower's reports print there.
func (c *Console) OpenDirect(context.Context, string, string) (string, error) { return "console", nil }

var (
	_ chat.Transport       = (*Console)(nil)
	_ chat.DirectMessenger = (*Console)(nil)
)
