package chattest

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Limits of interactive elements, as Slack documents them.
// Specs: https://docs.slack.dev/reference/block-kit/blocks/actions-block
// and https://docs.slack.dev/reference/block-kit/block-elements/button-element
const (
	slackMaxActionElements = 25
	slackMaxID             = 255
	slackMaxButtonText     = 75
	slackMaxValue          = 2000
	slackMaxPlaceholder    = 150
	slackMaxOptions        = 100
	slackMaxOptionText     = 75
	slackMaxOptionValue    = 150
)

// slackElement is a button or a static select of an actions block.
type slackElement struct {
	Type        string        `json:"type"`
	ActionID    string        `json:"action_id"`
	Text        *slackText    `json:"text"`
	Value       string        `json:"value"`
	Style       string        `json:"style"`
	Placeholder *slackText    `json:"placeholder"`
	Options     []slackOption `json:"options"`
}

type slackOption struct {
	Text  *slackText `json:"text"`
	Value string     `json:"value"`
}

// checkActions returns what is wrong with the elements of an actions
// block, or "". Action ids must be unique within a message.
func checkActions(raw []json.RawMessage, actionIDs map[string]bool) string {
	if len(raw) == 0 || len(raw) > slackMaxActionElements {
		return fmt.Sprintf("actions needs 1 to %d elements", slackMaxActionElements)
	}
	for _, r := range raw {
		var e slackElement
		if err := json.Unmarshal(r, &e); err != nil {
			return "actions elements must be objects"
		}
		if e.ActionID == "" || len(e.ActionID) > slackMaxID {
			return "action_id must be 1 to 255 characters"
		}
		if actionIDs[e.ActionID] {
			return fmt.Sprintf("action_id %q is used twice in one message", e.ActionID)
		}
		actionIDs[e.ActionID] = true
		if p := e.check(); p != "" {
			return p
		}
	}
	return ""
}

func (e slackElement) check() string {
	switch e.Type {
	case "button":
		if e.Text == nil || e.Text.Type != "plain_text" {
			return "button text must be plain_text"
		}
		if p := e.Text.check(slackMaxButtonText); p != "" {
			return p
		}
		if len(e.Value) > slackMaxValue {
			return fmt.Sprintf("button value must be less than %d characters", slackMaxValue+1)
		}
		if e.Style != "" && e.Style != "primary" && e.Style != "danger" {
			return fmt.Sprintf("unknown button style %q", e.Style)
		}
	case "static_select":
		if e.Placeholder != nil {
			if e.Placeholder.Type != "plain_text" {
				return "placeholder must be plain_text"
			}
			if p := e.Placeholder.check(slackMaxPlaceholder); p != "" {
				return p
			}
		}
		if len(e.Options) == 0 || len(e.Options) > slackMaxOptions {
			return fmt.Sprintf("static_select needs 1 to %d options", slackMaxOptions)
		}
		for _, o := range e.Options {
			if o.Text == nil || o.Text.Type != "plain_text" {
				return "option text must be plain_text"
			}
			if p := o.Text.check(slackMaxOptionText); p != "" {
				return p
			}
			if n := utf8.RuneCountInString(o.Value); n == 0 || n > slackMaxOptionValue {
				return fmt.Sprintf("option value must be 1 to %d characters", slackMaxOptionValue)
			}
		}
	default:
		return fmt.Sprintf("unsupported element type %q", e.Type)
	}
	return ""
}
