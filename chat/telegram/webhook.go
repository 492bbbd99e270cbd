package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Webhook defaults.
const (
	// WebhookPath is where the bot's HTTP server mounts the Webhook.
	WebhookPath = "/telegram/webhook"
	// SecretHeader carries the webhook secret in Telegram's requests.
	SecretHeader = "X-Telegram-Bot-Api-Secret-Token"
	// DefaultMaxBody caps the size of an update.
	DefaultMaxBody = 1 << 20
	// webhookQueue is how many updates may wait to be handled.
	webhookQueue = 64
	// drainTimeout bounds handling the queued updates at shutdown.
	drainTimeout = 10 * time.Second
	// recentUpdates is how many update ids are remembered to skip
	// Telegram's redeliveries.
	recentUpdates = 256
)

var secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Webhook receives commands from Telegram's webhook: it is the
// http.Handler for POST WebhookPath, and Run registers it with setWebhook
// and handles the updates it queued, in order. Requests whose
// X-Telegram-Bot-Api-Secret-Token header is missing or wrong are refused
// with 401 and nothing in them is read. Accepted updates are answered 200
// at once and handled by Run; when the queue is full or Run has stopped the
// answer is 503, and Telegram delivers the update again later.
type Webhook struct {
	d           *Dispatcher
	url         string
	secretToken string
	secret      [sha256.Size]byte // its hash, compared in constant time
	// MaxBody caps a request's body; DefaultMaxBody when zero.
	MaxBody int64
	// Sleep waits between retries of setWebhook; Sleep by default.
	Sleep SleepFunc
	// Health, when set, hears how setting the webhook stands: the error of
	// each failed try, and nil once it is set.
	Health func(error)

	queue  chan tgbotapi.Update
	mu     sync.Mutex
	closed bool
}

// NewWebhook returns a Webhook for the public HTTPS URL Telegram will post
// to (TELEGRAM_WEBHOOK_URL) with the shared secret
// (TELEGRAM_WEBHOOK_SECRET, 1-256 characters of A-Z, a-z, 0-9, _ and -).
// A secret is required.
func NewWebhook(d *Dispatcher, webhookURL, secret string) (*Webhook, error) {
	u, err := url.Parse(webhookURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("telegram webhook: URL %q: want the public https:// URL of %s", webhookURL, WebhookPath)
	}
	if !secretPattern.MatchString(secret) {
		return nil, errors.New("telegram webhook: the secret must be 1-256 characters of A-Z, a-z, 0-9, _ and - (set TELEGRAM_WEBHOOK_SECRET)")
	}
	return &Webhook{
		d:           d,
		url:         webhookURL,
		secretToken: secret,
		secret:      sha256.Sum256([]byte(secret)),
		queue:       make(chan tgbotapi.Update, webhookQueue),
	}, nil
}

// Run connects (getMe, when the Transport has not yet), sets the webhook
// (which stops getUpdates on Telegram's side) and the command menu, then
// handles queued updates until ctx is done. It then refuses new requests,
// handles those already queued, and returns nil. Set-up calls that fail
// are tried again until they succeed (a refused token at growing
// intervals, up to half an hour), so it returns only when ctx is done.
//
// Specs: https://core.telegram.org/bots/api#setwebhook
func (w *Webhook) Run(ctx context.Context) error {
	t := w.d.Transport
	log := w.d.logger()
	err := retrySetup(ctx, w.sleep, log, w.Health, func() error {
		if err := connect(ctx, t); err != nil {
			return err
		}
		return w.register(ctx)
	})
	if err != nil {
		w.close()
		return stopped(ctx, err)
	}
	setCommands(ctx, t, w.d.Menu, log)
	seen := newRecent(recentUpdates)
	for {
		select {
		case u := <-w.queue:
			if seen.add(u.UpdateID) {
				w.d.dispatch(ctx, u)
			}
		case <-ctx.Done():
			w.close()
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainTimeout)
			defer cancel()
			for {
				select {
				case u := <-w.queue:
					if seen.add(u.UpdateID) {
						w.d.dispatch(dctx, u)
					}
				default:
					return nil
				}
			}
		}
	}
}

// register calls setWebhook with the URL, the secret and the update types;
// v5.5.1's WebhookConfig has no secret_token, hence the raw call.
func (w *Webhook) register(ctx context.Context) error {
	p := tgbotapi.Params{"url": w.url, "secret_token": w.secretToken}
	if err := p.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return fmt.Errorf("telegram setWebhook: %w", err)
	}
	_, err := w.d.Transport.request(ctx, "setWebhook", p)
	return err
}

func (w *Webhook) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
}

// ServeHTTP accepts one update from Telegram.
func (w *Webhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		rw.Header().Set("Allow", http.MethodPost)
		http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	got := sha256.Sum256([]byte(r.Header.Get(SecretHeader)))
	if r.Header.Get(SecretHeader) == "" || subtle.ConstantTimeCompare(got[:], w.secret[:]) != 1 {
		w.d.logger().WarnContext(r.Context(), "telegram webhook: request without the right secret refused", "remote", r.RemoteAddr)
		http.Error(rw, "unauthorized", http.StatusUnauthorized)
		return
	}
	var u tgbotapi.Update
	if err := json.NewDecoder(http.MaxBytesReader(rw, r.Body, w.maxBody())).Decode(&u); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(rw, "update too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(rw, "bad update", http.StatusBadRequest)
		return
	}
	if !w.enqueue(u) {
		http.Error(rw, "busy", http.StatusServiceUnavailable)
		return
	}
	rw.WriteHeader(http.StatusOK)
}

func (w *Webhook) enqueue(u tgbotapi.Update) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	select {
	case w.queue <- u:
		return true
	default:
		return false
	}
}

func (w *Webhook) maxBody() int64 {
	if w.MaxBody > 0 {
		return w.MaxBody
	}
	return DefaultMaxBody
}

func (w *Webhook) sleep(ctx context.Context, d time.Duration) error {
	if w.Sleep != nil {
		return w.Sleep(ctx, d)
	}
	return Sleep(ctx, d)
}

// recent remembers the last n update ids.
type recent struct {
	ids  map[int]bool
	ring []int
	next int
}

func newRecent(n int) *recent {
	return &recent{ids: make(map[int]bool, n), ring: make([]int, 0, n)}
}

// add records id and reports whether it was new.
func (r *recent) add(id int) bool {
	if r.ids[id] {
		return false
	}
	if len(r.ring) < cap(r.ring) {
		r.ring = append(r.ring, id)
	} else {
		delete(r.ids, r.ring[r.next])
		r.ring[r.next] = id
		r.next = (r.next + 1) % len(r.ring)
	}
	r.ids[id] = true
	return true
}
