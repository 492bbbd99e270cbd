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
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/geo"
	"github.com/wirewatch/wirewatch/internal/english"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// PlaceLookup resolves a place name in any spelling.
type PlaceLookup interface {
	Lookup(query string) []geo.Place
}

// DigestBuilder builds a digest message for a channel now.
type DigestBuilder interface {
	// BuildFor returns the digest named name (every digest the channel's
	// rules feed when name is "") for the channel.
	BuildFor(ctx context.Context, name string, dest Dest) (chat.Message, error)
}

// RouterStore is what chat commands read and write.
type RouterStore interface {
	store.Queries
	store.DocumentReader
	store.StoryReader
	store.Subscriptions
	store.Mutes
	store.OutboxReports
}

// Router answers chat commands from every transport.
type Router struct {
	Store   RouterStore
	Rules   *rules.Config
	Places  PlaceLookup
	Digests DigestBuilder
	Clock   Clock
	Log     *slog.Logger
	Metrics *Metrics
	// OnSubscriptionsChanged is called after /subscribe or /unsubscribe.
	OnSubscriptionsChanged func()
	// Started is when the bot started, for /status.
	Started time.Time
	// Status adds lines to /status (last scan, transports...).
	Status func(ctx context.Context) []string
	// Zone is the IANA zone answers show times in (UTC when empty):
	// BOT_TIMEZONE. A digest shows its own.
	Zone string
	// MayAct reports whether user may run the Moderators commands in the
	// channel of transport; nil lets anyone.
	MayAct func(ctx context.Context, transport, channel, user string) (bool, error)
	// Actions mutes, unmutes and follows, for the commands that do (the
	// same model as the alert buttons).
	Actions *Actions
}

// Limits of /latest and /search.
const (
	DefaultResults = 5
	MaxResults     = 20
)

// HandleCommand answers c. It never returns an error: failures are told to
// the user in the reply and logged.
func (r *Router) HandleCommand(ctx context.Context, c chat.Command) chat.Message {
	args, public := publicFlag(c.Args)
	reply := r.handle(ctx, c, args)
	if reply.Zone == "" {
		reply.Zone = r.Zone
	}
	reply.Kind = chat.KindReply
	reply.Channel = c.Channel
	reply.InChannel = public
	name := strings.ToLower(c.Name)
	if _, ok := findCommand(name); !ok {
		name = "unknown" // bounded label values, whatever users type
	}
	outcome := "ok"
	if strings.HasPrefix(reply.Text, failPrefix) {
		outcome = "error"
	}
	r.Metrics.Use().Commands.Inc(name, outcome)
	return reply
}

// CommandNames are the command labels of wirewatch_commands_total: every
// command of the table, and "unknown".
func CommandNames() []string {
	names := []string{"unknown"}
	for _, c := range Commands() {
		names = append(names, c.Name)
	}
	return names
}

func publicFlag(args string) (string, bool) {
	f := strings.Fields(args)
	if n := len(f); n > 0 && strings.EqualFold(f[n-1], "public") {
		return strings.Join(f[:n-1], " "), true
	}
	return strings.Join(f, " "), false
}

func (r *Router) handle(ctx context.Context, c chat.Command, args string) chat.Message {
	if c.Name == "" {
		return r.help(ctx, c, args)
	}
	cmd, ok := findCommand(c.Name)
	if !ok {
		return unknownCommand(c.Name)
	}
	if cmd.Access == Moderators && r.MayAct != nil {
		ok, err := r.MayAct(ctx, c.Transport, c.Channel, c.User)
		if err != nil {
			return r.fail(cmd.Name, fmt.Errorf("checking who may /%s: %w", cmd.Name, err))
		}
		if !ok {
			return text(fmt.Sprintf("Only those who manage this channel may /%s here; ask one of them.", cmd.Name))
		}
	}
	return cmd.Run(r, ctx, c, args)
}

func text(s string) chat.Message { return chat.Message{Text: s} }

// when writes t as answers show it: in the router's zone, a calendar date
// (midnight UTC) as the date alone.
func (r *Router) when(t time.Time) string { return chat.Article{Published: t}.When(r.Zone) }

// failPrefix starts the answer to a command that failed on our side.
const failPrefix = "Sorry, /"

// at shows a moment, such as the end of a mute, in the answers' zone.
func (r *Router) at(t time.Time) string { return chat.At(t, r.Zone) }

func (r *Router) fail(op string, err error) chat.Message {
	r.Log.Error("command failed", "command", op, "err", err)
	return text(fmt.Sprintf("%s%s failed on our side; it has been logged. Try again in a minute.", failPrefix, op))
}

// splitCount takes a trailing count off args: "badghis 5" -> "badghis", 5.
func splitCount(args string) (string, int) {
	f := strings.Fields(args)
	if n := len(f); n > 1 {
		if v, err := strconv.Atoi(f[n-1]); err == nil {
			return strings.Join(f[:n-1], " "), min(max(v, 1), MaxResults)
		}
	}
	return args, DefaultResults
}

// Resolve turns a /latest query into a region filter and a display name:
// a user region of rules.yaml, else a gazetteer place in any spelling.
// ok is false when the query names no place.
func (r *Router) Resolve(query string) (store.RegionFilter, string, bool) {
	var f store.RegionFilter
	places := r.regionPlaces(query, 0)
	if len(places) == 0 {
		return f, "", false
	}
	for _, p := range places {
		switch p.Level {
		case geo.LevelCountry:
			f.Countries = append(f.Countries, p.Country)
		case geo.LevelAdmin1:
			f.Admin1 = append(f.Admin1, p.Admin1)
		default:
			f.PlaceIDs = append(f.PlaceIDs, p.ID)
		}
	}
	name := places[0].Name
	if len(places) > 1 && r.userRegion(query) != nil {
		name = r.userRegion(query).Name
	}
	return f, name, true
}

func (r *Router) userRegion(q string) *rules.Region {
	fq := corpus.Fold(q)
	for i := range r.Rules.Regions {
		if corpus.Fold(r.Rules.Regions[i].Name) == fq {
			return &r.Rules.Regions[i]
		}
	}
	return nil
}

func (r *Router) regionPlaces(q string, depth int) []geo.Place {
	if depth > 8 {
		return nil
	}
	if ur := r.userRegion(q); ur != nil {
		var out []geo.Place
		for _, m := range ur.Members {
			out = append(out, r.regionPlaces(m, depth+1)...)
		}
		return out
	}
	if r.Places == nil {
		return nil
	}
	ps := r.Places.Lookup(q)
	if len(ps) == 0 {
		return nil
	}
	// Keep the best level: "herat" is the province (which holds the
	// city), not the province and every Herat elsewhere.
	best := ps[0].Level
	out := ps[:0:0]
	for _, p := range ps {
		if p.Level == best {
			out = append(out, p)
		}
	}
	return out
}

func (r *Router) search(ctx context.Context, _ chat.Command, args string) chat.Message {
	q, n := splitCount(args)
	if strings.TrimSpace(q) == "" {
		return usageReply("search")
	}
	hits, err := r.Store.Search(ctx, q, n)
	if err != nil {
		return r.fail("search", err)
	}
	return hitsReply(fmt.Sprintf("Articles with %q", q), q, hits)
}

func hitsReply(title, q string, hits []store.Hit) chat.Message {
	if len(hits) == 0 {
		return text(fmt.Sprintf("Nothing found for %q.", q))
	}
	m := chat.Message{Text: fmt.Sprintf("%s (%d, newest first)", title, len(hits))}
	for _, h := range hits {
		a := ArticleOf(h.Doc, corpus.Analysis{}, "")
		a.Place = h.Place
		a.Lead = ""
		m.Items = append(m.Items, a)
	}
	return m
}

func (r *Router) digest(ctx context.Context, c chat.Command, args string) chat.Message {
	if r.Digests == nil {
		return text("Digests are not configured.")
	}
	m, err := r.Digests.BuildFor(ctx, strings.TrimSpace(args), Dest{Transport: c.Transport, Channel: c.Channel})
	if err != nil {
		var nf *UnknownDigestError
		if errors.As(err, &nf) {
			return text(nf.Error())
		}
		return r.fail("digest", err)
	}
	return m
}

// UnknownDigestError is returned for a digest name rules.yaml lacks.
type UnknownDigestError struct{ Name string }

func (e *UnknownDigestError) Error() string {
	return fmt.Sprintf("There is no digest %q. /rules lists them.", e.Name)
}

func (r *Router) findDigest(name string) *rules.Digest {
	for i := range r.Rules.Digests {
		if strings.EqualFold(r.Rules.Digests[i].Name, name) {
			return &r.Rules.Digests[i]
		}
	}
	return nil
}

func (r *Router) subscribe(ctx context.Context, c chat.Command, args string) chat.Message {
	f := strings.Fields(args)
	if len(f) == 0 {
		return usageReply("subscribe")
	}
	d := r.findDigest(f[0])
	if d == nil {
		return text((&UnknownDigestError{Name: f[0]}).Error())
	}
	sub := store.Subscription{Digest: d.Name, Transport: c.Transport, Channel: c.Channel, At: d.At, Timezone: firstNonEmpty(d.Timezone, r.Rules.Timezone, "UTC")}
	for _, a := range f[1:] {
		if _, err := ParseClock(a); err == nil {
			sub.At = a
			continue
		}
		if _, err := time.LoadLocation(a); err == nil && a != "" {
			sub.Timezone = a
			continue
		}
		return text(fmt.Sprintf("%q is neither a time (HH:MM) nor a timezone (like Asia/Kabul).", a))
	}
	if err := r.Store.Subscribe(ctx, sub); err != nil {
		return r.fail("subscribe", err)
	}
	if r.OnSubscriptionsChanged != nil {
		r.OnSubscriptionsChanged()
	}
	return text(fmt.Sprintf("Subscribed: %s every day at %s (%s).", sub.Digest, sub.At, sub.Timezone))
}

func (r *Router) unsubscribe(ctx context.Context, c chat.Command, args string) chat.Message {
	name := strings.TrimSpace(args)
	if name == "" {
		return usageReply("unsubscribe")
	}
	err := r.Store.Unsubscribe(ctx, c.Transport, c.Channel, name)
	if errors.Is(err, store.ErrNotFound) {
		return text(fmt.Sprintf("This channel is not subscribed to %q.", name))
	}
	if err != nil {
		return r.fail("unsubscribe", err)
	}
	if r.OnSubscriptionsChanged != nil {
		r.OnSubscriptionsChanged()
	}
	return text(fmt.Sprintf("Unsubscribed from %s.", name))
}

func (r *Router) rulesList(context.Context, chat.Command, string) chat.Message {
	var b strings.Builder
	for _, ru := range r.Rules.Rules {
		fmt.Fprintf(&b, "%s: ", ru.Name)
		var parts []string
		if len(ru.Keywords.Any) > 0 {
			parts = append(parts, "any of "+strings.Join(ru.Keywords.Any, ", "))
		}
		if len(ru.Keywords.All) > 0 {
			parts = append(parts, "all of "+strings.Join(ru.Keywords.All, ", "))
		}
		if len(ru.Keywords.None) > 0 {
			parts = append(parts, "none of "+strings.Join(ru.Keywords.None, ", "))
		}
		if len(ru.Regions) > 0 {
			parts = append(parts, "in "+strings.Join(ru.Regions, ", "))
		}
		parts = append(parts, "to "+strings.Join(ru.Channels, ", "))
		b.WriteString(strings.Join(parts, "; "))
		b.WriteString("\n")
	}
	for _, d := range r.Rules.Digests {
		fmt.Fprintf(&b, "digest %s: %s daily to %s\n", d.Name, d.At, strings.Join(d.Channels, ", "))
	}
	if b.Len() == 0 {
		return text("No rules are configured.")
	}
	return text(strings.TrimSpace(b.String()))
}

func (r *Router) why(ctx context.Context, _ chat.Command, args string) chat.Message {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(args), "#"), 10, 64)
	if err != nil || id <= 0 {
		return usageReply("why")
	}
	s, err := storyWhy(ctx, r.Store, id, r.Zone)
	if errors.Is(err, store.ErrNotFound) {
		return text(fmt.Sprintf("There is no story #%d.", id))
	}
	if err != nil {
		return r.fail("why", err)
	}
	return text(s)
}

// muteTarget resolves what /mute names into the target the engine checks
// and a label for the reply; "" when it names nothing known.
func (r *Router) muteTarget(name string) (target, label string) {
	for _, ru := range r.Rules.Rules {
		if strings.EqualFold(ru.Name, name) {
			return "rule:" + ru.Name, "rule " + ru.Name
		}
	}
	if ur := r.userRegion(name); ur != nil {
		return "region:" + ur.Name, "region " + ur.Name
	}
	places := r.regionPlaces(name, 0)
	if len(places) == 0 {
		return "", ""
	}
	p := places[0]
	switch p.Level {
	case geo.LevelCountry:
		return "country:" + p.Country, p.Name
	case geo.LevelAdmin1:
		return "admin1:" + p.Admin1, p.Name
	}
	return fmt.Sprintf("place:%d", p.ID), p.Name
}

func (r *Router) status(ctx context.Context, _ chat.Command, _ string) chat.Message {
	stats, err := r.Store.OutboxStats(ctx)
	if err != nil {
		return r.fail("status", err)
	}
	lines := []string{
		fmt.Sprintf("Up since %s.", r.when(r.Started)),
		fmt.Sprintf("Outbox: %d pending, %d sending, %d sent, %d dead.", stats[store.Pending], stats[store.Sending], stats[store.Sent], stats[store.Dead]),
	}
	if stats[store.Dead] > 0 {
		dead, err := r.Store.DeadRows(ctx, 3)
		if err == nil {
			for _, d := range dead {
				lines = append(lines, fmt.Sprintf("dead: %s %s/%s: %s", d.Kind, d.Transport, d.Channel, d.LastError))
			}
		}
	}
	if r.Status != nil {
		lines = append(lines, r.Status(ctx)...)
	}
	return text(strings.Join(lines, "\n"))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// ParseClock parses "HH:MM" (24-hour).
func ParseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// ParseDuration parses Go durations plus whole days ("2d") and weeks ("1w").
func ParseDuration(s string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v > 1000 {
				return 0, fmt.Errorf("%q is not a duration", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: %w", s, err)
	}
	return d, nil
}

var _ chat.Handler = (*Router)(nil)

// reportsPage is how many reports /reports shows at once.
const reportsPage = 10

// reports lists the reports of a story, a page at a time, in order of
// publication.
func (r *Router) reports(ctx context.Context, _ chat.Command, args string) chat.Message {
	f := strings.Fields(strings.ReplaceAll(args, "#", ""))
	if len(f) == 0 || len(f) > 2 {
		return usageReply("reports")
	}
	id, err := strconv.ParseInt(f[0], 10, 64)
	page := 1
	if err == nil && len(f) == 2 {
		page, err = strconv.Atoi(f[1])
	}
	if err != nil || id <= 0 || page <= 0 {
		return usageReply("reports")
	}
	st, err := r.Store.Story(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return text(fmt.Sprintf("There is no story #%d.", id))
	}
	if err != nil {
		return r.fail("reports", err)
	}
	members, err := r.Store.StoryMembers(ctx, id)
	if err != nil {
		return r.fail("reports", fmt.Errorf("members of story %d: %w", id, err))
	}
	pages := max(1, (len(members)+reportsPage-1)/reportsPage)
	if page > pages {
		return text(fmt.Sprintf("Story #%d has %s: %s.", id, english.Plural(len(members), "report"),
			english.Plural(pages, "page")))
	}
	from := (page - 1) * reportsPage
	m := chat.Message{Heading: heading(st)}
	for _, mb := range members[from:min(from+reportsPage, len(members))] {
		d, err := r.Store.Document(ctx, mb.DocID)
		if err != nil {
			return r.fail("reports", err)
		}
		a, err := r.Store.Analysis(ctx, mb.DocID)
		if err != nil {
			return r.fail("reports", err)
		}
		art := ArticleOf(d, a, st.Rule)
		if mb.CopyOf != "" {
			art.Source += " (a copy)"
		}
		m.Items = append(m.Items, art)
	}
	m.Text = fmt.Sprintf("Story #%d: reports %d to %d of %d", id, from+1, from+len(m.Items), len(members))
	if page < pages {
		m.Text += fmt.Sprintf("; /reports %d %d for the next %d", id, page+1, min(reportsPage, len(members)-from-len(m.Items)))
	}
	m.Zone = r.Zone
	return m
}
