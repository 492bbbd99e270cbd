package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/wirewatch/wirewatch/chat"
)

// Who may change what the bot does in a group (TELEGRAM_ACTIONS_BY).
const (
	// ByAdmins lets a group's creator and administrators mute and unmute.
	ByAdmins = "admins"
	// ByMembers lets every member of an allowed group mute and unmute.
	ByMembers = "members"
)

// DefaultAdminTTL is how long an answer of getChatMember is trusted.
const DefaultAdminTTL = 10 * time.Minute

// Admins decides who may mute and unmute in a chat (a chat.Authorizer):
// nobody in a chat that is not allowed; in a private chat, its user; in a
// group, supergroup or channel, its creator and administrators (asked with
// getChatMember, answers kept for TTL), or with By = ByMembers everyone
// there; and the chat itself, which is who anonymous administrators and
// channel posts speak as.
type Admins struct {
	Transport *Transport
	Allowed   AllowedChats
	// By is ByAdmins (the default when empty) or ByMembers.
	By string
	// TTL defaults to DefaultAdminTTL.
	TTL time.Duration
	// Now is the clock of the cache; time.Now when nil.
	Now func() time.Time

	mu    sync.Mutex
	cache map[[2]int64]adminEntry
}

type adminEntry struct {
	ok      bool
	expires time.Time
}

var (
	_ chat.Authorizer = (*Admins)(nil)
	_ chat.Authorizer = (*Transport)(nil)
)

// WithAdmins makes the Transport decide who may change what the bot does
// in a chat (mute, unmute, subscribe) as Admins does, for the chats of
// allowed; by is ByAdmins or ByMembers. Without it, MayAct lets anyone.
func WithAdmins(allowed AllowedChats, by string) Option {
	return func(t *Transport) { t.admins = &Admins{Transport: t, Allowed: allowed, By: by} }
}

// MayAct reports whether user may change what the bot does in channel:
// as Admins decides when the Transport was made WithAdmins, else yes.
func (t *Transport) MayAct(ctx context.Context, channel, user string) (bool, error) {
	if t.admins == nil {
		return true, nil
	}
	return t.admins.MayAct(ctx, channel, user)
}

// ParseActionsBy checks a value of TELEGRAM_ACTIONS_BY: "" (ByAdmins),
// ByAdmins or ByMembers.
func ParseActionsBy(s string) (string, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "", ByAdmins:
		return ByAdmins, nil
	case ByMembers:
		return ByMembers, nil
	}
	return "", fmt.Errorf("telegram: %q is not who may act: use %q (chat administrators, the default) or %q (every member of an allowed chat)",
		s, ByAdmins, ByMembers)
}

// MayAct reports whether user may mute and unmute in channel. It returns
// an error when getChatMember fails (the user may then not act).
//
// Specs: https://core.telegram.org/bots/api#getchatmember
func (a *Admins) MayAct(ctx context.Context, channel, user string) (bool, error) {
	chatID, err1 := strconv.ParseInt(channel, 10, 64)
	userID, err2 := strconv.ParseInt(user, 10, 64)
	switch {
	case err1 != nil || err2 != nil || !a.Allowed.Allows(chatID):
		return false, nil
	case userID == chatID:
		return true, nil // a private chat's user; anonymous admins and channels
	case chatID > 0:
		return false, nil // someone else's private chat
	case a.By == ByMembers:
		return true, nil
	}
	key, now := [2]int64{chatID, userID}, a.now()
	a.mu.Lock()
	e, cached := a.cache[key]
	a.mu.Unlock()
	if cached && now.Before(e.expires) {
		return e.ok, nil
	}
	var m tgbotapi.ChatMember
	err := a.Transport.call(ctx, "getChatMember", a.Transport.timeout, func(b *tgbotapi.BotAPI) error {
		var err error
		m, err = b.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chatID, UserID: userID}})
		return err
	})
	if err != nil {
		return false, err
	}
	ok := m.Status == "creator" || m.Status == "administrator"
	a.mu.Lock()
	if a.cache == nil {
		a.cache = map[[2]int64]adminEntry{}
	}
	a.cache[key] = adminEntry{ok: ok, expires: now.Add(a.ttl())}
	a.mu.Unlock()
	return ok, nil
}

func (a *Admins) ttl() time.Duration {
	if a.TTL > 0 {
		return a.TTL
	}
	return DefaultAdminTTL
}

func (a *Admins) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}
