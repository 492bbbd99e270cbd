package slack

import (
	"strconv"

	slackgo "github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/chat"
)

// Action ids of the alert's elements: one per element, as Slack wants them
// unique within a message.
const (
	actionMuteStory = "ww_mute_story"
	actionMuteScope = "ww_mute_scope"
	actionUnmute    = "ww_unmute"
	actionWhy       = "ww_why"
	actionFollow    = "ww_follow"
)

// durationNames are the options of the mute menus.
var durationNames = map[string]string{"1h": "1 hour", "6h": "6 hours", "1d": "1 day", "1w": "1 week"}

// controlBlocks lays an alert's controls out: the mute in force, if any, as
// a context line, then an actions block with menus to mute the story or the
// rule in its region (each offering chat.MuteDurations), or "Undo" when
// muted, and the "Why?" and "Follow" buttons. Every element's value is the
// chat.ActionData the interaction will carry.
// Specs: https://docs.slack.dev/reference/block-kit/blocks/actions-block
func controlBlocks(c *chat.Controls, zone string) []slackgo.Block {
	if c == nil || c.Ref == "" {
		return nil
	}
	var out []slackgo.Block
	var elems []slackgo.BlockElement
	state := "0"
	if c.Muted != nil {
		state = strconv.FormatInt(c.Muted.ID, 10)
		out = append(out, contextBlock(":no_bell: "+escape(truncate(oneLine(c.Muted.Status(zone)), maxMeta))))
		undo := button(actionUnmute, "Undo", chat.ActionData{Verb: chat.VerbUnmute, Ref: c.Ref, Arg: state})
		undo.Style = slackgo.StylePrimary
		elems = append(elems, undo)
	} else {
		elems = append(elems, muteMenu(actionMuteStory, "Mute story…", chat.VerbMuteStory, c.Ref))
		if c.Scope != "" {
			elems = append(elems, muteMenu(actionMuteScope, "Mute "+c.Scope+"…", chat.VerbMuteScope, c.Ref))
		}
	}
	elems = append(elems,
		button(actionWhy, "Why?", chat.ActionData{Verb: chat.VerbWhy, Ref: c.Ref}),
		button(actionFollow, "Follow", chat.ActionData{Verb: chat.VerbFollow, Ref: c.Ref}))
	// A new block_id for each state of the buttons, as Slack asks of
	// updated messages.
	out = append(out, slackgo.NewActionBlock("ww:"+c.Ref+":"+state, elems...))
	return out
}

func button(id, text string, d chat.ActionData) *slackgo.ButtonBlockElement {
	return slackgo.NewButtonBlockElement(id, d.String(), plain(text, maxButtonText))
}

func muteMenu(id, placeholder, verb, ref string) *slackgo.SelectBlockElement {
	opts := make([]*slackgo.OptionBlockObject, 0, len(chat.MuteDurations))
	for _, d := range chat.MuteDurations {
		data := chat.ActionData{Verb: verb, Ref: ref, Arg: d}
		opts = append(opts, slackgo.NewOptionBlockObject(data.String(), plain(durationName(d), maxButtonText), nil))
	}
	return slackgo.NewOptionsSelectBlockElement(slackgo.OptTypeStatic, plain(placeholder, maxPlaceholder), id, opts...)
}

func durationName(d string) string {
	if n, ok := durationNames[d]; ok {
		return n
	}
	return d
}

// plain is a plain_text object of at most max characters.
func plain(s string, max int) *slackgo.TextBlockObject {
	return slackgo.NewTextBlockObject(slackgo.PlainTextType, escape(truncate(oneLine(s), max)), false, false)
}

// Limits of interactive elements.
// Specs: https://docs.slack.dev/reference/block-kit/block-elements/button-element
const (
	maxButtonText  = 75
	maxPlaceholder = 150
)
