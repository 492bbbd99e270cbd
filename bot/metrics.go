package bot

import (
	"context"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/corpus"
	"github.com/wirewatch/wirewatch/internal/buildinfo"
	"github.com/wirewatch/wirewatch/internal/metrics"
	"github.com/wirewatch/wirewatch/store"
)

// Metrics are wirewatch's Prometheus series, each declared once below with
// its help text and labels, and served by GET /metrics. A series without
// labels is present from the start; Preset makes the labelled ones present
// for the label values known at start (transports, rules, feeds, commands),
// so every series a dashboard or an alert asks for exists before its first
// event. To add a series: a field here and one line in NewMetrics, then
// record it where the event happens (m.Use().Field...), and list it in
// docs/operations.md.
type Metrics struct {
	*metrics.Registry

	// Scans.
	Scans           *metrics.CounterVec   // outcome: ok, error
	ScanDuration    *metrics.HistogramVec //
	ScanLastSuccess *metrics.GaugeVec     //
	ScanDocuments   *metrics.CounterVec   // outcome: new, duplicate, processed
	ScanSkipped     *metrics.CounterVec   // reason: corpus.Reasons, unreadable
	SourceErrors    *metrics.CounterVec   //

	// Feeds, by feed name.
	FeedFetches     *metrics.CounterVec
	FeedErrors      *metrics.CounterVec
	FeedLastSuccess *metrics.GaugeVec

	// Rules and stories, by rule.
	RuleMatches   *metrics.CounterVec
	StoriesOpened *metrics.CounterVec
	RulesReloads  *metrics.CounterVec // outcome: ok, error

	// Delivery, by transport (and kind or reason).
	Sent             *metrics.CounterVec   // transport, kind
	DeliveryAttempts *metrics.CounterVec   // transport, kind
	DeliveryErrors   *metrics.CounterVec   // transport, reason: rate_limited, temporary, unknown, auth, permanent
	DeliveryRetries  *metrics.CounterVec   // transport, kind
	DeadLetters      *metrics.CounterVec   // transport, kind
	DeliveryLatency  *metrics.HistogramVec // transport

	// Delivery faults, by transport and kind.
	MessageParts       *metrics.CounterVec // later parts queued as rows of their own
	OutcomeUnknown     *metrics.CounterVec // sends with no answer
	Reconciled         *metrics.CounterVec // of those, found posted and recorded
	ReconcileErrors    *metrics.CounterVec // lookups that failed
	PossibleDuplicates *metrics.CounterVec // sent again without a way to check

	// Commands, by name and outcome: ok, error.
	Commands *metrics.CounterVec
	// ButtonPresses counts presses of alert buttons, by transport, action
	// and outcome (ok, refused, error).
	ButtonPresses *metrics.CounterVec
	// ReportsMuted counts alerts and replies a mute kept from a channel,
	// by transport and kind (alert, update).
	ReportsMuted *metrics.CounterVec
	// HTTPRefused counts chat requests refused 503 over the cap.
	HTTPRefused *metrics.CounterVec
	// Pruned counts what retention deleted, by what: documents, stories,
	// outbox_rows.
	Pruned *metrics.CounterVec
}

// Label values that are known in advance.
var (
	scanOutcomes     = []string{"ok", "error"}
	documentOutcomes = []string{"new", "duplicate", "processed"}
	deliveryReasons  = []string{"rate_limited", "temporary", "unknown", "auth", "permanent"}
	pressActions     = []string{"mute_story", "mute_scope", "unmute", "why", "follow", "menu", "back"}
	pressOutcomes    = []string{"ok", "refused", "error"}
	outboxKinds      = []string{string(store.OutboxAlert), string(store.OutboxUpdate), string(store.OutboxEdit), string(store.OutboxDigest), string(store.OutboxPart)}
)

// UnreadableReason labels the files a scan could not read at all.
const UnreadableReason = "unreadable"

// NewMetrics declares every series.
func NewMetrics() *Metrics {
	r := metrics.New()
	d := metrics.DurationBuckets
	m := &Metrics{
		Registry: r,

		Scans:           r.Counter("wirewatch_scans_total", "Scan passes over the corpus and feeds, by outcome (ok, error).", "outcome"),
		ScanDuration:    r.Histogram("wirewatch_scan_duration_seconds", "How long a scan pass took.", d),
		ScanLastSuccess: r.Gauge("wirewatch_scan_last_success_timestamp_seconds", "When the last scan pass without error ended, in seconds since 1970 (0: none yet)."),
		ScanDocuments:   r.Counter("wirewatch_scan_documents_total", "Documents read by scans, by outcome: new (stored), duplicate (an exact copy of a stored one), processed (matched, grouped and queued).", "outcome"),
		ScanSkipped:     r.Counter("wirewatch_scan_skipped_files_total", "Files passed over by scans, by reason (see docs/formats.md); unreadable files are tried again.", "reason"),
		SourceErrors:    r.Counter("wirewatch_scan_errors_total", "Sources (the corpus folder, a feed) that failed during a scan."),

		FeedFetches:     r.Counter("wirewatch_feed_fetches_total", "Feed fetches, by feed.", "feed"),
		FeedErrors:      r.Counter("wirewatch_feed_errors_total", "Feed fetches that failed, by feed.", "feed"),
		FeedLastSuccess: r.Gauge("wirewatch_feed_last_success_timestamp_seconds", "When each feed was last fetched without error, in seconds since 1970 (0: never).", "feed"),

		RuleMatches:   r.Counter("wirewatch_rule_matches_total", "Documents that matched each rule.", "rule"),
		StoriesOpened: r.Counter("wirewatch_stories_opened_total", "Stories opened (each is one alert per channel), by rule.", "rule"),
		RulesReloads:  r.Counter("wirewatch_rules_reloads_total", "Reloads of an edited rules file, by outcome (ok, error: the rules in force stay).", "outcome"),

		Sent:             r.Counter("wirewatch_messages_sent_total", "Messages delivered, by transport and kind.", "transport", "kind"),
		DeliveryAttempts: r.Counter("wirewatch_delivery_attempts_total", "Attempts to send a message, by transport and kind.", "transport", "kind"),
		DeliveryErrors:   r.Counter("wirewatch_delivery_errors_total", "Failed attempts to send a message, by transport and reason (rate_limited; temporary: a server or network error; unknown: no answer, it may have been posted; auth: the token was refused; permanent).", "transport", "reason"),
		DeliveryRetries:  r.Counter("wirewatch_delivery_retries_total", "Failed attempts that will be retried, by transport and kind.", "transport", "kind"),
		DeadLetters:      r.Counter("wirewatch_messages_dead_total", "Messages given up (dead-lettered), by transport and kind.", "transport", "kind"),
		DeliveryLatency:  r.Histogram("wirewatch_delivery_latency_seconds", "From when a message could first be sent (enqueued, or due for a batched reply) to when it was sent, by transport.", d, "transport"),

		MessageParts:       r.Counter("wirewatch_message_parts_total", "Later parts of long messages, queued as outbox rows of their own, by transport and kind.", "transport", "kind"),
		OutcomeUnknown:     r.Counter("wirewatch_outcome_unknown_total", "Sends that got no answer (a timeout, a connection lost after the request was written, 502 or 504), by transport and kind.", "transport", "kind"),
		Reconciled:         r.Counter("wirewatch_reconciled_total", "Sends with an unknown outcome found posted after all (Slack), recorded and not sent again, by transport and kind.", "transport", "kind"),
		ReconcileErrors:    r.Counter("wirewatch_reconcile_errors_total", "Lookups of a send with an unknown outcome that failed, by transport and kind.", "transport", "kind"),
		PossibleDuplicates: r.Counter("wirewatch_possible_duplicates_total", "Messages sent again after an unknown outcome that could not be checked (Telegram, or a lookup Slack refused): each may show twice; by transport and kind.", "transport", "kind"),

		Commands: r.Counter("wirewatch_commands_total", "Chat commands answered, by command and outcome (ok, error).", "command", "outcome"),
		ButtonPresses: r.Counter("wirewatch_button_presses_total", "Presses of alert buttons, by transport, action (mute_story, mute_scope, unmute, why, follow, menu, back) and outcome (ok; refused: not allowed, or not a valid button here; error).",
			"transport", "action", "outcome"),
		ReportsMuted: r.Counter("wirewatch_reports_muted_total", "Alerts and thread replies a mute kept from a channel, by transport and kind (alert, update).", "transport", "kind"),
		HTTPRefused:  r.Counter("wirewatch_http_requests_refused_total", "HTTP requests refused with 503 because too many were being served at once."),
		Pruned:       r.Counter("wirewatch_pruned_total", "What retention (BOT_RETENTION) deleted, by what: documents, stories, outbox_rows.", "what"),
	}
	for _, o := range scanOutcomes {
		m.Scans.With(o)
		m.RulesReloads.With(o)
	}
	for _, o := range documentOutcomes {
		m.ScanDocuments.With(o)
	}
	for _, w := range []string{"documents", "stories", "outbox_rows"} {
		m.Pruned.With(w)
	}
	for _, reason := range append(append([]string{}, corpus.Reasons...), UnreadableReason) {
		m.ScanSkipped.With(reason)
	}
	info := buildinfo.Read()
	r.GaugeFunc("wirewatch_build_info", "The running build: version, commit and Go version (always 1).",
		[]string{"version", "commit", "go_version"}, func(emit func(float64, ...string)) {
			emit(1, info.Version, info.Commit, info.Go)
		})
	return m
}

// Preset makes the series of known label values present, at zero:
// transports, rules, feeds and command names. Call it at start and after
// the rules change; values seen before stay.
func (m *Metrics) Preset(transports, rules, feeds, commands []string) {
	if m == nil {
		return
	}
	for _, t := range transports {
		for _, k := range outboxKinds {
			m.Sent.With(t, k)
			m.DeliveryAttempts.With(t, k)
			m.DeliveryRetries.With(t, k)
			m.DeadLetters.With(t, k)
			m.MessageParts.With(t, k)
			m.OutcomeUnknown.With(t, k)
			m.Reconciled.With(t, k)
			m.ReconcileErrors.With(t, k)
			m.PossibleDuplicates.With(t, k)
		}
		for _, reason := range deliveryReasons {
			m.DeliveryErrors.With(t, reason)
		}
		m.DeliveryLatency.With(t)
		for _, k := range []string{string(store.OutboxAlert), string(store.OutboxUpdate)} {
			m.ReportsMuted.With(t, k)
		}
		for _, a := range pressActions {
			for _, o := range pressOutcomes {
				m.ButtonPresses.With(t, a, o)
			}
		}
	}
	for _, r := range rules {
		m.RuleMatches.With(r)
		m.StoriesOpened.With(r)
	}
	for _, f := range feeds {
		m.FeedFetches.With(f)
		m.FeedErrors.With(f)
		m.FeedLastSuccess.With(f)
	}
	for _, c := range commands {
		m.Commands.With(c, "ok").With(c, "error")
	}
}

// noMetrics records for code given no registry; nobody reads it.
var noMetrics = NewMetrics()

// Use returns m, or a registry nobody reads when m is nil, so parts built
// without metrics (in tests, on the command line) record into nothing.
func (m *Metrics) Use() *Metrics {
	if m == nil {
		return noMetrics
	}
	return m
}

// OutboxGauges declares the outbox series read from the store at every
// scrape: rows by state, and for each transport the rows waiting and the
// age of the oldest one due. transports are the transports to report even
// when nothing waits for them.
func (m *Metrics) OutboxGauges(st store.OutboxReports, clock Clock, transports []string) {
	m.GaugeFunc("wirewatch_outbox_rows", "Outbox rows by state (pending, sending, sent, dead).", []string{"state"},
		func(emit func(float64, ...string)) {
			ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
			defer cancel()
			stats, err := st.OutboxStats(ctx)
			if err != nil {
				return
			}
			for s, n := range stats {
				emit(float64(n), string(s))
			}
		})
	backlog := func(emit func(store.Backlog, string)) {
		ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
		defer cancel()
		b, err := st.OutboxBacklog(ctx, clock.Now())
		if err != nil {
			return
		}
		for _, t := range transports {
			if _, ok := b[t]; !ok {
				b[t] = store.Backlog{}
			}
		}
		for t, v := range b {
			emit(v, t)
		}
	}
	m.GaugeFunc("wirewatch_outbox_depth", "Messages waiting to be sent (pending or being sent), by transport.", []string{"transport"},
		func(emit func(float64, ...string)) {
			backlog(func(b store.Backlog, t string) { emit(float64(b.Waiting), t) })
		})
	m.GaugeFunc("wirewatch_outbox_oldest_pending_age_seconds", "How long the oldest message due has waited to be sent, by transport (0: none waits).", []string{"transport"},
		func(emit func(float64, ...string)) {
			now := clock.Now()
			backlog(func(b store.Backlog, t string) {
				age := 0.0
				if !b.OldestDue.IsZero() {
					age = max(0, now.Sub(b.OldestDue).Seconds())
				}
				emit(age, t)
			})
		})
}

// TransportGauge declares wirewatch_transport_up, read from h at every
// scrape: for every transport h knows, 1 when all its parts work, else 0.
func (m *Metrics) TransportGauge(h *Health) {
	m.GaugeFunc("wirewatch_transport_up", "1 when every part of the transport works (its token accepted, commands received), else 0; see /status and /readyz for why.",
		[]string{"transport"}, func(emit func(float64, ...string)) {
			for t, up := range h.Up() {
				v := 0.0
				if up {
					v = 1
				}
				emit(v, t)
			}
		})
}

// seconds is t as a Prometheus timestamp gauge value.
func seconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// scrapeTimeout bounds the store queries of one scrape.
const scrapeTimeout = 2 * time.Second

// attempted records one attempt to send row, which ended with err.
func (m *Metrics) attempted(row store.OutboxRow, err error) {
	m.DeliveryAttempts.Inc(row.Transport, string(row.Kind))
	_, rateLimited := chat.RetryAfterOf(err)
	switch {
	case err == nil:
	case chat.IsAuthFailure(err):
		m.DeliveryErrors.Inc(row.Transport, "auth")
	case chat.IsPermanent(err):
		m.DeliveryErrors.Inc(row.Transport, "permanent")
	case rateLimited:
		m.DeliveryErrors.Inc(row.Transport, "rate_limited")
	case chat.IsOutcomeUnknown(err):
		m.DeliveryErrors.Inc(row.Transport, "unknown")
		m.OutcomeUnknown.Inc(row.Transport, string(row.Kind))
	default:
		m.DeliveryErrors.Inc(row.Transport, "temporary")
	}
}

// delivered records row as sent at now (by an attempt, or found posted).
func (m *Metrics) delivered(row store.OutboxRow, now time.Time) {
	m.Sent.Inc(row.Transport, string(row.Kind))
	from := row.CreatedAt
	if row.Due.After(from) {
		from = row.Due
	}
	if !from.IsZero() {
		m.DeliveryLatency.Observe(max(0, now.Sub(from).Seconds()), row.Transport)
	}
}

// scanned records a scan pass that ended at end with err (nil when every
// document was processed; a failing source makes the pass an error too).
func (m *Metrics) scanned(rep ScanReport, err error, end time.Time) {
	m.ScanDuration.Observe(max(0, end.Sub(rep.At).Seconds()))
	if err != nil || len(rep.Errors) > 0 {
		m.Scans.Inc("error")
	} else {
		m.Scans.Inc("ok")
		m.ScanLastSuccess.Set(seconds(end))
	}
	m.ScanDocuments.Add(float64(rep.New), "new")
	m.ScanDocuments.Add(float64(rep.Dupes), "duplicate")
	m.ScanDocuments.Add(float64(rep.Processed), "processed")
	for reason, n := range rep.Skipped {
		m.ScanSkipped.Add(float64(n), reason)
	}
	m.ScanSkipped.Add(float64(rep.Unreadable), UnreadableReason)
}
