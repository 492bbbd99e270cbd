package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/store"
)

// Answers to button presses that change nothing.
const (
	unknownButtonText = "This button is not on a current alert of wirewatch: nothing changed. /help lists the commands."
	foreignButtonText = "This button belongs to another chat's alert: nothing changed."
	expiredButtonText = "This button has expired: nothing changed. Use /mute, /why or /follow with the story's number."
	failedButtonText  = "Sorry, that failed on our side; it has been logged. Try again in a minute."
)

// HandleAction answers a press of an alert's button. A press is refused,
// and nothing changes, when its ref is unknown, belongs to another
// channel or transport, has expired, or does not come from the alert it
// was made for; and when a mute or unmute comes from someone who may not
// act (ErrNotAllowed). Presses that change the alert return it re-rendered.
func (a *Actions) HandleAction(ctx context.Context, act chat.Action) chat.ActionReply {
	reply, outcome := a.handleAction(ctx, act)
	a.Metrics.Use().ButtonPresses.Inc(act.Transport, pressNames[act.Data.Verb], outcome)
	return reply
}

// pressNames label the verbs in wirewatch_button_presses_total.
var pressNames = map[string]string{chat.VerbMuteStory: "mute_story", chat.VerbMuteScope: "mute_scope",
	chat.VerbUnmute: "unmute", chat.VerbWhy: "why", chat.VerbFollow: "follow", chat.VerbMenu: "menu", chat.VerbBack: "back"}

// handleAction answers a press and says how it went: ok, refused or error.
func (a *Actions) handleAction(ctx context.Context, act chat.Action) (chat.ActionReply, string) {
	ref, refusal := a.checkPress(ctx, act)
	if refusal != "" {
		a.log().Warn("button press refused", "transport", act.Transport, "channel", act.Channel, "user", act.User,
			"data", act.Data.String(), "why", refusal)
		return chat.ActionReply{Text: refusal, Refused: true}, "refused"
	}
	who := Actor{Transport: act.Transport, Channel: act.Channel, User: act.User, Name: act.UserName}
	reply, err := a.press(ctx, who, ref, act.Data)
	switch {
	case errors.Is(err, ErrNotAllowed):
		return chat.ActionReply{Text: NotAllowedText, Refused: true}, "refused"
	case err != nil:
		a.log().Error("button press failed", "data", act.Data.String(), "channel", act.Channel, "err", err)
		return chat.ActionReply{Text: failedButtonText}, "error"
	case reply.Refused:
		return reply, "refused"
	}
	return reply, "ok"
}

// checkPress finds the ref a press names and checks it may be used from
// where it came; it returns why not, or "".
func (a *Actions) checkPress(ctx context.Context, act chat.Action) (store.ActionRef, string) {
	ref, err := a.Store.ActionRef(ctx, act.Data.Ref)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ref, unknownButtonText
	case err != nil:
		a.log().Error("reading a button's ref", "err", err)
		return ref, failedButtonText
	case ref.Transport != act.Transport || ref.Channel != act.Channel:
		return ref, foreignButtonText
	case a.Clock.Now().Sub(ref.CreatedAt) > a.buttonTTL():
		return ref, expiredButtonText
	}
	row, err := a.Store.OutboxRow(ctx, alertKey(ref.Story, Dest{Transport: ref.Transport, Channel: ref.Channel}))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ref, unknownButtonText
	case err != nil:
		a.log().Error("reading a button's alert", "err", err)
		return ref, failedButtonText
	case act.MessageID != "" && row.RemoteID != "" && row.RemoteID != act.MessageID:
		// (An alert whose post is not recorded yet, a moment after it
		// appeared, cannot be told from its message; its ref still ties
		// the press to this story and channel.)
		return ref, fmt.Sprintf("This button is not on story #%d's alert: nothing changed.", ref.Story)
	}
	return ref, ""
}

func (a *Actions) buttonTTL() time.Duration {
	if a.ButtonTTL > 0 {
		return a.ButtonTTL
	}
	return DefaultButtonTTL
}

// press does what a checked press asks.
func (a *Actions) press(ctx context.Context, who Actor, ref store.ActionRef, d chat.ActionData) (chat.ActionReply, error) {
	switch d.Verb {
	case chat.VerbMuteStory, chat.VerbMuteScope:
		return a.pressMute(ctx, who, ref, d)
	case chat.VerbUnmute:
		return a.pressUnmute(ctx, who, ref, d.Arg)
	case chat.VerbWhy:
		text, err := a.Why(ctx, ref.Story)
		return chat.ActionReply{Text: text}, err
	case chat.VerbFollow:
		f, err := a.Follow(ctx, who, ref.Story)
		if errors.Is(err, ErrCannotFollow) {
			_, hint, _ := strings.Cut(err.Error(), ": ")
			return chat.ActionReply{Text: hint, Refused: true}, nil
		}
		if err != nil {
			return chat.ActionReply{}, err
		}
		where := "in a direct message"
		if who.Transport == "telegram" {
			where = "in your private chat with the bot"
		}
		return chat.ActionReply{Text: fmt.Sprintf("You follow story #%d: its later reports come to you %s. /unfollow %d stops them.",
			f.Story, where, f.Story)}, nil
	case chat.VerbMenu:
		if err := a.mayAct(ctx, who); err != nil {
			return chat.ActionReply{}, err
		}
		alert, err := a.alert(ctx, ref)
		what := fmt.Sprintf("story #%d", ref.Story)
		if d.Arg == chat.MenuScope {
			what = ref.ScopeLabel
		}
		return chat.ActionReply{Text: "Mute " + what + " here for how long?", Alert: alert}, err
	case chat.VerbBack:
		alert, err := a.alert(ctx, ref)
		return chat.ActionReply{Text: "Nothing muted.", Alert: alert}, err
	}
	return chat.ActionReply{Text: unknownButtonText, Refused: true}, nil
}

func (a *Actions) pressMute(ctx context.Context, who Actor, ref store.ActionRef, d chat.ActionData) (chat.ActionReply, error) {
	if !slices.Contains(chat.MuteDurations, d.Arg) {
		return chat.ActionReply{Text: "That is not one of the mute durations: nothing changed.", Refused: true}, nil
	}
	dur, err := ParseDuration(d.Arg)
	if err != nil {
		return chat.ActionReply{}, err
	}
	target, label := storyTarget(ref.Story), fmt.Sprintf("story #%d", ref.Story)
	if d.Verb == chat.VerbMuteScope {
		if ref.Scope == "" {
			return chat.ActionReply{Text: unknownButtonText, Refused: true}, nil
		}
		target, label = ref.Scope, ref.ScopeLabel
	}
	m, err := a.Mute(ctx, who, target, label, dur)
	if err != nil {
		return chat.ActionReply{}, err
	}
	alert, err := a.alert(ctx, ref)
	return chat.ActionReply{Text: fmt.Sprintf("Muted %s here for %s (until %s). Undo lifts it.", label, d.Arg,
		chat.At(m.Until, a.Zone)), Alert: alert}, err
}

func (a *Actions) pressUnmute(ctx context.Context, who Actor, ref store.ActionRef, arg string) (chat.ActionReply, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return chat.ActionReply{Text: unknownButtonText, Refused: true}, nil
	}
	// The button may lift only this alert's own mutes.
	mutes, err := a.ChannelMutes(ctx, Dest{Transport: ref.Transport, Channel: ref.Channel})
	if err != nil {
		return chat.ActionReply{}, err
	}
	i := slices.IndexFunc(mutes, func(m store.Mute) bool { return m.ID == id })
	if i < 0 {
		alert, err := a.alert(ctx, ref)
		return chat.ActionReply{Text: "That mute has already ended.", Alert: alert}, err
	}
	if t := mutes[i].Target; t != storyTarget(ref.Story) && t != ref.Scope {
		return chat.ActionReply{Text: "This button cannot lift that mute: nothing changed. /mutes lists them.", Refused: true}, nil
	}
	m, err := a.Unmute(ctx, who, id)
	if errors.Is(err, store.ErrNotFound) {
		alert, err := a.alert(ctx, ref)
		return chat.ActionReply{Text: "That mute has already ended.", Alert: alert}, err
	}
	if err != nil {
		return chat.ActionReply{}, err
	}
	alert, err := a.alert(ctx, ref)
	return chat.ActionReply{Text: fmt.Sprintf("Unmuted %s: its next reports post here again.", m.Label), Alert: alert}, err
}

// alert renders the alert of ref as it looks now, as an edit of the posted
// message.
func (a *Actions) alert(ctx context.Context, ref store.ActionRef) (*chat.Message, error) {
	row, err := a.Store.OutboxRow(ctx, alertKey(ref.Story, Dest{Transport: ref.Transport, Channel: ref.Channel}))
	if err != nil {
		return nil, fmt.Errorf("reading the alert of story %d: %w", ref.Story, err)
	}
	m, err := a.Renderer.Render(ctx, row)
	if err != nil {
		return nil, fmt.Errorf("rendering the alert of story %d: %w", ref.Story, err)
	}
	m.Kind, m.ThreadID = chat.KindEdit, row.RemoteID
	return &m, nil
}
