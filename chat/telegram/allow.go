package telegram

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// AllowedChats is the set of chats whose commands the bot answers. The zero
// value is empty and allows no chat: commands are then refused everywhere
// (and the refusal tells the chat its id, which is how an operator finds
// the ids to allow).
type AllowedChats struct {
	ids map[int64]bool
}

// NewAllowedChats returns the set of ids.
func NewAllowedChats(ids ...int64) AllowedChats {
	a := AllowedChats{ids: make(map[int64]bool, len(ids))}
	for _, id := range ids {
		a.ids[id] = true
	}
	return a
}

// ParseAllowedChats parses TELEGRAM_ALLOWED_CHATS: chat ids separated by
// commas, spaces allowed around them, e.g. "-1001234567890, 123456789".
// An empty string is an empty set. An entry that is not a non-zero integer
// is an error naming it.
func ParseAllowedChats(s string) (AllowedChats, error) {
	var ids []int64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id == 0 {
			return AllowedChats{}, fmt.Errorf("telegram allowed chats: %q is not a chat id: want comma-separated numbers such as -1001234567890", f)
		}
		ids = append(ids, id)
	}
	return NewAllowedChats(ids...), nil
}

// Allows reports whether chat id may use commands.
func (a AllowedChats) Allows(id int64) bool { return a.ids[id] }

// IDs returns the allowed ids in ascending order.
func (a AllowedChats) IDs() []int64 {
	out := make([]int64, 0, len(a.ids))
	for id := range a.ids {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
