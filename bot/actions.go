package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/store"
)

// ActionStore is what the action model reads and writes.
type ActionStore interface {
	RenderStore
	store.Mutes
	store.Follows
	store.ActionRefs
}

// DefaultButtonTTL is how long an alert's buttons keep working after the
// alert was first shown.
const DefaultButtonTTL = 30 * 24 * time.Hour

// Actions is the one model of what people do about alerts: mute a story
// or a rule in a region, lift a mute, ask why, follow a story. Buttons
// (Slack interactions, Telegram callback queries) and typed commands
// (/mute, /unmute, /follow ...) all go through it, so every path keeps the
// same rules: who may act, what a button may touch, what is recorded.
type Actions struct {
	Store    ActionStore
	Renderer *Renderer
	Clock    Clock
	Log      *slog.Logger
	// Direct opens users' private conversations with the bot, by transport
	// name; a transport without one cannot deliver follows.
	Direct map[string]chat.DirectMessenger
	// Authorizers decide, by transport name, who may mute and unmute in a
	// channel; without one anyone in the channel may.
	Authorizers map[string]chat.Authorizer
	// ButtonTTL is how long buttons work; DefaultButtonTTL when zero.
	ButtonTTL time.Duration
	// Zone is the IANA zone answers show times in (UTC when empty).
	Zone string
	// Metrics counts the button presses (nil: not counted).
	Metrics *Metrics
}

// Actor is who acts, and in which channel.
type Actor struct {
	Transport string
	Channel   string
	// User is the platform's user id, Name how the user is shown.
	User string
	Name string
}

// ActorOf is who sent a command.
func ActorOf(c chat.Command) Actor {
	return Actor{Transport: c.Transport, Channel: c.Channel, User: c.User, Name: c.UserName}
}

// ErrNotAllowed is returned when the actor may not change the channel's
// settings.
var ErrNotAllowed = errors.New("not allowed")

// NotAllowedText is what someone who may not mute is told.
const NotAllowedText = "Not allowed: only this chat's administrators may mute or unmute here."

// mayAct checks that who may change what the bot does in their channel.
func (a *Actions) mayAct(ctx context.Context, who Actor) error {
	auth, ok := a.Authorizers[who.Transport]
	if !ok || auth == nil {
		return nil
	}
	ok, err := auth.MayAct(ctx, who.Channel, who.User)
	if err != nil {
		return fmt.Errorf("checking who may act: %w", err)
	}
	if !ok {
		return ErrNotAllowed
	}
	return nil
}

// Mute silences target (see store.Mute) in who's channel for d, after
// checking who may. It returns the mute as stored, or ErrNotAllowed.
func (a *Actions) Mute(ctx context.Context, who Actor, target, label string, d time.Duration) (store.Mute, error) {
	if err := a.mayAct(ctx, who); err != nil {
		return store.Mute{}, err
	}
	m, err := a.Store.Mute(ctx, store.Mute{Transport: who.Transport, Channel: who.Channel, Target: target, Label: label,
		Until: a.Clock.Now().Add(d), By: who.User, ByName: who.Name})
	if err != nil {
		return store.Mute{}, fmt.Errorf("muting %s: %w", label, err)
	}
	a.log().Info("muted", "what", label, "for", d, "transport", who.Transport, "channel", who.Channel, "by", who.User, "mute", m.ID)
	return m, nil
}

// Unmute lifts mute id of who's channel after checking who may; it returns
// the mute lifted, store.ErrNotFound or ErrNotAllowed.
func (a *Actions) Unmute(ctx context.Context, who Actor, id int64) (store.Mute, error) {
	if err := a.mayAct(ctx, who); err != nil {
		return store.Mute{}, err
	}
	m, err := a.Store.Unmute(ctx, who.Transport, who.Channel, id)
	if err != nil {
		return store.Mute{}, fmt.Errorf("unmuting %d: %w", id, err)
	}
	a.log().Info("unmuted", "what", m.Label, "transport", who.Transport, "channel", who.Channel, "by", who.User, "mute", m.ID)
	return m, nil
}

// ChannelMutes returns the mutes in force in a channel.
func (a *Actions) ChannelMutes(ctx context.Context, d Dest) ([]store.Mute, error) {
	all, err := a.Store.Mutes(ctx, a.Clock.Now())
	if err != nil {
		return nil, fmt.Errorf("reading mutes: %w", err)
	}
	var out []store.Mute
	for _, m := range all {
		if m.Transport == d.Transport && m.Channel == d.Channel {
			out = append(out, m)
		}
	}
	return out, nil
}

// ErrCannotFollow is wrapped when a story's reports cannot be sent to the
// user privately; the error's text says what the user can do.
var ErrCannotFollow = errors.New("cannot follow")

// Follow sends the later reports of a story to who privately until it
// closes or they unfollow it: it opens the private conversation (posting a
// short note there) and records the follow. It returns store.ErrNotFound
// for an unknown story, and an error wrapping ErrCannotFollow with a hint
// when the platform does not let the bot write to the user.
func (a *Actions) Follow(ctx context.Context, who Actor, story int64) (store.Follow, error) {
	st, err := a.Store.Story(ctx, story)
	if err != nil {
		return store.Follow{}, fmt.Errorf("story %d: %w", story, err)
	}
	dm, ok := a.Direct[who.Transport]
	if !ok || dm == nil || who.User == "" {
		return store.Follow{}, fmt.Errorf("%w: %s cannot send private messages here", ErrCannotFollow, who.Transport)
	}
	intro := fmt.Sprintf("You follow story #%d (%s): its later reports come here until it closes. /unfollow %d stops them.",
		st.ID, heading(st), st.ID)
	direct, err := dm.OpenDirect(ctx, who.User, intro)
	var nd *chat.NoDirectError
	if errors.As(err, &nd) {
		return store.Follow{}, fmt.Errorf("%w: %s", ErrCannotFollow, nd.Hint)
	}
	if err != nil {
		return store.Follow{}, fmt.Errorf("opening a private conversation: %w", err)
	}
	f := store.Follow{Transport: who.Transport, User: who.User, UserName: who.Name, Story: st.ID, Channel: who.Channel, Direct: direct}
	if err := a.Store.Follow(ctx, f); err != nil {
		return store.Follow{}, fmt.Errorf("recording the follow: %w", err)
	}
	a.log().Info("story followed", "story", st.ID, "transport", who.Transport, "user", who.User)
	return f, nil
}

// Unfollow ends who's follow of a story; store.ErrNotFound when there was
// none.
func (a *Actions) Unfollow(ctx context.Context, who Actor, story int64) error {
	if err := a.Store.Unfollow(ctx, who.Transport, who.User, story); err != nil {
		return fmt.Errorf("unfollowing %d: %w", story, err)
	}
	return nil
}

// Why explains why a story alerted: its rule, group, first report, what
// matched and how many reports it has. It returns store.ErrNotFound for
// an unknown story.
func (a *Actions) Why(ctx context.Context, id int64) (string, error) {
	return storyWhy(ctx, a.Store, id, a.Zone)
}

// storyWhy is what /why and the "Why?" button say about story id.
func storyWhy(ctx context.Context, s interface {
	store.StoryReader
	store.DocumentReader
}, id int64, zone string) (string, error) {
	when := func(t time.Time) string { return chat.Article{Published: t}.When(zone) }
	st, err := s.Story(ctx, id)
	if err != nil {
		return "", fmt.Errorf("story %d: %w", id, err)
	}
	members, err := s.StoryMembers(ctx, id)
	if err != nil {
		return "", fmt.Errorf("members of story %d: %w", id, err)
	}
	if len(members) == 0 {
		return "", fmt.Errorf("story %d has no reports", id)
	}
	lead := members[0]
	d, err := s.Document(ctx, lead.DocID)
	if err != nil {
		return "", fmt.Errorf("first report of story %d: %w", id, err)
	}
	an, err := s.Analysis(ctx, lead.DocID)
	if err != nil {
		return "", fmt.Errorf("analysis of story %d: %w", id, err)
	}
	copies := 0
	for _, m := range members {
		if m.CopyOf != "" {
			copies++
		}
	}
	lines := []string{
		fmt.Sprintf("Story #%d: rule %s, grouped by %s", st.ID, st.Rule, firstNonEmpty(st.KeyName, st.Key)),
		fmt.Sprintf("First report: %s (%s, %s)", d.Title, d.Source, when(d.Published)),
		"Why: " + why(an, st.Rule),
		fmt.Sprintf("%s, %s, from %s to %s", english.Plural(len(members), "report"), ofThemCopies(copies),
			when(st.First), when(st.Last)),
	}
	return strings.Join(lines, "\n"), nil
}

// ofThemCopies says how many of a story's reports are copies: "0 of them
// copies", "1 of them a copy", "2 of them copies".
func ofThemCopies(n int) string {
	if n == 1 {
		return "1 of them a copy"
	}
	return fmt.Sprintf("%d of them copies", n)
}

func (a *Actions) log() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.New(slog.DiscardHandler)
}

// storyTarget is the mute target of one story.
func storyTarget(id int64) string { return "story:" + strconv.FormatInt(id, 10) }

// scopeOf returns the target and label of an alert's "Mute <rule> in
// <region>": the story's rule in its group (a province, a country, a
// place), or the rule alone when the story has no place.
func scopeOf(st store.Story) (target, label, command string) {
	target, label, command = "rule:"+st.Rule, st.Rule, st.Rule
	key := st.Key
	if key == "" || key == "none" || key == "all" || strings.HasPrefix(key, "doc:") {
		return target, label, command
	}
	place, _, _ := strings.Cut(firstNonEmpty(st.KeyName, key), ",")
	place = strings.TrimSpace(place)
	return target + "&group:" + key, st.Rule + " in " + place, st.Rule + " in " + strings.ToLower(place)
}

// formatFor says how long a mute lasts, in the largest whole unit: "1w",
// "2d", "6h", "90m".
func formatFor(d time.Duration) string {
	const day, week = 24 * time.Hour, 7 * 24 * time.Hour
	// The store stamps a mute a moment after its end was computed.
	d = d.Round(time.Minute)
	switch {
	case d <= 0:
		return ""
	case d%week == 0:
		return strconv.FormatInt(int64(d/week), 10) + "w"
	case d%day == 0:
		return strconv.FormatInt(int64(d/day), 10) + "d"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	}
	return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
}
