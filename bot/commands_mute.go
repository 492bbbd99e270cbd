package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/store"
)

// MaxMute is the longest mute /mute accepts.
const MaxMute = 90 * 24 * time.Hour

func (r *Router) mute(ctx context.Context, c chat.Command, args string) chat.Message {
	if r.Actions == nil {
		return text("Muting is not available here.")
	}
	f := strings.Fields(args)
	if len(f) < 2 {
		return usageReply("mute")
	}
	last := f[len(f)-1]
	dur, err := ParseDuration(last)
	if err != nil || dur <= 0 {
		return text(fmt.Sprintf("%q is not a duration; use e.g. 30m, 6h, 2d or 1w.", last))
	}
	if dur > MaxMute {
		return text(fmt.Sprintf("%s is too long: mute for at most %s (90d), and mute again later if need be.", last, formatFor(MaxMute)))
	}
	what := strings.Join(f[:len(f)-1], " ")
	target, label, problem := r.resolveMute(ctx, what)
	if problem != "" {
		return text(problem)
	}
	m, err := r.Actions.Mute(ctx, ActorOf(c), target, label, dur)
	if errors.Is(err, ErrNotAllowed) {
		return text(NotAllowedText)
	}
	if err != nil {
		return r.fail("mute", err)
	}
	return text(fmt.Sprintf("Muted %s here for %s, until %s (mute #%d). /unmute %d lifts it.",
		label, formatFor(dur), r.at(m.Until), m.ID, m.ID))
}

// resolveMute turns what /mute or /unmute names into a mute target and its
// label: "story 12", "<rule> in <region>", a rule, or a region in any
// spelling. problem says what is wrong when it names nothing known.
func (r *Router) resolveMute(ctx context.Context, what string) (target, label, problem string) {
	if rest, ok := cutWord(what, "story"); ok {
		id, err := strconv.ParseInt(strings.TrimPrefix(rest, "#"), 10, 64)
		if err != nil || id <= 0 {
			return "", "", fmt.Sprintf("%q is not a story number: use the # number on an alert, e.g. /mute story 12 6h.", rest)
		}
		if _, err := r.Store.Story(ctx, id); err != nil {
			return "", "", fmt.Sprintf("There is no story #%d.", id)
		}
		return storyTarget(id), fmt.Sprintf("story #%d", id), ""
	}
	if rule, region, ok := strings.Cut(what, " in "); ok {
		rt, rl := r.muteTarget(strings.TrimSpace(rule))
		gt, gl := r.muteTarget(strings.TrimSpace(region))
		if !strings.HasPrefix(rt, "rule:") {
			return "", "", fmt.Sprintf("%q is not a rule; /rules lists them.", strings.TrimSpace(rule))
		}
		if gt == "" || strings.HasPrefix(gt, "rule:") {
			return "", "", fmt.Sprintf("%q is not a known region.", strings.TrimSpace(region))
		}
		return rt + "&" + gt, strings.TrimPrefix(rl, "rule ") + " in " + strings.TrimPrefix(gl, "region "), ""
	}
	target, label = r.muteTarget(what)
	if target == "" {
		return "", "", fmt.Sprintf("%q is neither a rule nor a known region.", what)
	}
	return target, label, ""
}

// cutWord cuts a leading word (any case) and the space after it off s.
func cutWord(s, word string) (string, bool) {
	head, rest, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok || !strings.EqualFold(head, word) {
		return s, false
	}
	return strings.TrimSpace(rest), true
}

func (r *Router) mutes(ctx context.Context, c chat.Command, _ string) chat.Message {
	if r.Actions == nil {
		return text("Muting is not available here.")
	}
	mutes, err := r.Actions.ChannelMutes(ctx, Dest{Transport: c.Transport, Channel: c.Channel})
	if err != nil {
		return r.fail("mutes", err)
	}
	lines := []string{"Nothing is muted here."}
	if len(mutes) > 0 {
		lines = []string{"Muted here:"}
		for _, m := range mutes {
			lines = append(lines, muteLine(m, r.Zone))
		}
		lines = append(lines, "/unmute <number or what> lifts one.")
	}
	if s := r.mutedCounts(ctx, c); s != "" {
		lines = append(lines, s)
	}
	return text(strings.Join(lines, "\n"))
}

// muteLine shows one mute: "#3 story #12, until 2021-07-07 18:00 UTC (6h), by @alice".
func muteLine(m store.Mute, zone string) string {
	s := fmt.Sprintf("#%d %s, until %s", m.ID, firstNonEmpty(m.Label, m.Target), chat.At(m.Until, zone))
	if d := formatFor(m.Until.Sub(m.CreatedAt)); d != "" && !m.CreatedAt.IsZero() {
		s += " (" + d + ")"
	}
	if by := firstNonEmpty(m.ByName, m.By); by != "" {
		s += ", by " + by
	}
	return s
}

func (r *Router) unmute(ctx context.Context, c chat.Command, args string) chat.Message {
	if r.Actions == nil {
		return text("Muting is not available here.")
	}
	what := strings.TrimSpace(args)
	if what == "" {
		return usageReply("unmute")
	}
	mutes, err := r.Actions.ChannelMutes(ctx, Dest{Transport: c.Transport, Channel: c.Channel})
	if err != nil {
		return r.fail("unmute", err)
	}
	var id int64
	if n, err := strconv.ParseInt(strings.TrimPrefix(what, "#"), 10, 64); err == nil {
		id = n
	} else {
		target, _, problem := r.resolveMute(ctx, what)
		if problem != "" {
			return text(problem)
		}
		for _, m := range mutes {
			if m.Target == target {
				id = m.ID
			}
		}
	}
	if id == 0 {
		return text(fmt.Sprintf("Nothing muted here matches %q. /mutes lists what is.", what))
	}
	m, err := r.Actions.Unmute(ctx, ActorOf(c), id)
	switch {
	case errors.Is(err, ErrNotAllowed):
		return text(NotAllowedText)
	case errors.Is(err, store.ErrNotFound):
		return text(fmt.Sprintf("There is no mute #%d here. /mutes lists them.", id))
	case err != nil:
		return r.fail("unmute", err)
	}
	if !m.Until.After(r.Clock.Now()) {
		return text(fmt.Sprintf("Mute #%d (%s) had already ended.", m.ID, firstNonEmpty(m.Label, m.Target)))
	}
	return text(fmt.Sprintf("Unmuted %s here (mute #%d): its next reports post again.", firstNonEmpty(m.Label, m.Target), m.ID))
}

func (r *Router) follow(ctx context.Context, c chat.Command, args string) chat.Message {
	if r.Actions == nil {
		return text("Following is not available here.")
	}
	arg := strings.TrimPrefix(strings.TrimSpace(args), "#")
	if arg == "" {
		return r.follows(ctx, c)
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return usageReply("follow")
	}
	f, err := r.Actions.Follow(ctx, ActorOf(c), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return text(fmt.Sprintf("There is no story #%d.", id))
	case errors.Is(err, ErrCannotFollow):
		_, hint, _ := strings.Cut(err.Error(), ": ")
		return text(hint)
	case err != nil:
		return r.fail("follow", err)
	}
	return text(fmt.Sprintf("You follow story #%d: its later reports come to you privately until it closes. /unfollow %d stops them.", f.Story, f.Story))
}

// follows lists what the asker follows.
func (r *Router) follows(ctx context.Context, c chat.Command) chat.Message {
	fs, err := r.Actions.Store.FollowsOf(ctx, c.Transport, c.User)
	if err != nil {
		return r.fail("follow", err)
	}
	if len(fs) == 0 {
		return text("You follow no story. /follow <story> follows one, e.g. /follow 12.")
	}
	lines := []string{"You follow:"}
	for _, f := range fs {
		line := fmt.Sprintf("#%d", f.Story)
		if st, err := r.Store.Story(ctx, f.Story); err == nil {
			line += " " + heading(st)
		}
		lines = append(lines, line)
	}
	return text(strings.Join(append(lines, "/unfollow <story> stops one."), "\n"))
}

func (r *Router) unfollow(ctx context.Context, c chat.Command, args string) chat.Message {
	if r.Actions == nil {
		return text("Following is not available here.")
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(args), "#"), 10, 64)
	if err != nil || id <= 0 {
		return usageReply("unfollow")
	}
	err = r.Actions.Unfollow(ctx, ActorOf(c), id)
	if errors.Is(err, store.ErrNotFound) {
		return text(fmt.Sprintf("You do not follow story #%d.", id))
	}
	if err != nil {
		return r.fail("unfollow", err)
	}
	return text(fmt.Sprintf("You no longer follow story #%d.", id))
}

// rulesAndMutes answers /rules: the rules, then the mutes in force in c's
// channel.
func (r *Router) rulesAndMutes(ctx context.Context, c chat.Command, args string) chat.Message {
	return r.withMutes(ctx, c, r.rulesList(ctx, c, args))
}

// statusAndMutes answers /status: delivery and scans, then the mutes in
// force in c's channel and what they kept from it.
func (r *Router) statusAndMutes(ctx context.Context, c chat.Command, args string) chat.Message {
	return r.withMuteCounts(ctx, c, r.status(ctx, c, args))
}

// mutesHere returns the mutes in force in c's channel; false when muting
// is not available or they could not be read (logged): answers that show
// mutes on the side then leave them out.
func (r *Router) mutesHere(ctx context.Context, c chat.Command) ([]store.Mute, bool) {
	if r.Actions == nil {
		return nil, false
	}
	mutes, err := r.Actions.ChannelMutes(ctx, Dest{Transport: c.Transport, Channel: c.Channel})
	if err != nil {
		r.Log.Error("reading the mutes of a channel", "command", c.Name, "err", err)
		return nil, false
	}
	return mutes, true
}

// withMutes adds the mutes in force in c's channel to a /rules answer.
func (r *Router) withMutes(ctx context.Context, c chat.Command, m chat.Message) chat.Message {
	mutes, ok := r.mutesHere(ctx, c)
	if ok && len(mutes) > 0 {
		lines := []string{"Muted here:"}
		for _, mu := range mutes {
			lines = append(lines, muteLine(mu, r.Zone))
		}
		m.Text += "\n" + strings.Join(lines, "\n")
	}
	return m
}

// withMuteCounts adds to a /status answer the mutes in force in c's channel
// and what they kept from it in the last 24 hours.
func (r *Router) withMuteCounts(ctx context.Context, c chat.Command, m chat.Message) chat.Message {
	mutes, ok := r.mutesHere(ctx, c)
	if !ok {
		return m
	}
	line := "Nothing is muted here."
	if len(mutes) > 0 {
		line = fmt.Sprintf("%s in force here (/mutes lists them).", english.Plural(len(mutes), "mute"))
	}
	m.Text += "\n" + line
	if s := r.mutedCounts(ctx, c); s != "" {
		m.Text += "\n" + s
	}
	return m
}

// mutedCounts says what mutes kept from c's channel in the last 24 hours,
// or "" when nothing.
func (r *Router) mutedCounts(ctx context.Context, c chat.Command) string {
	n, err := r.Actions.Store.CountMuted(ctx, c.Transport, c.Channel, r.Clock.Now().Add(-24*time.Hour))
	if err != nil {
		r.Log.Error("counting muted reports", "err", err)
		return ""
	}
	var parts []string
	if k := n[store.OutboxAlert]; k > 0 {
		parts = append(parts, english.Plural(k, "alert"))
	}
	if k := n[store.OutboxUpdate]; k > 0 {
		parts = append(parts, english.Plural(k, "report"))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " and ") + " muted here in the last 24 h."
}
