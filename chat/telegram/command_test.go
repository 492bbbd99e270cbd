package telegram

import "testing"

func TestParseCommand(t *testing.T) {
	tests := []struct {
		text       string
		name, args string
		ok         bool
	}{
		{"/latest badghis", "latest", "badghis", true},
		{"/latest@wirewatch_bot badghis 5", "latest", "badghis 5", true},
		{"/latest@WireWatch_Bot badghis", "latest", "badghis", true},
		{"/LATEST Badghis", "latest", "Badghis", true},
		{"/help", "help", "", true},
		{"/help@wirewatch_bot", "help", "", true},
		{"/status   ", "status", "", true},
		{"/search  qala-i-naw\nassault ", "search", "qala-i-naw\nassault", true},
		{"/latest\tqala-e-naw", "latest", "qala-e-naw", true},
		{"/latest@other_bot badghis", "", "", false},
		{"/latest@ badghis", "", "", false},
		{"latest badghis", "", "", false},
		{" /latest badghis", "", "", false},
		{"/", "", "", false},
		{"/la-test", "", "", false},
		{"/" + "a234567890123456789012345678901234", "", "", false},
		{"/latést", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		name, args, ok := ParseCommand(tt.text, "wirewatch_bot")
		if name != tt.name || args != tt.args || ok != tt.ok {
			t.Errorf("ParseCommand(%q) = %q, %q, %v; want %q, %q, %v", tt.text, name, args, ok, tt.name, tt.args, tt.ok)
		}
	}
	if _, _, ok := ParseCommand("/latest@wirewatch_bot x", ""); ok {
		t.Error("a command to @someone is taken when the bot's own name is unknown")
	}
}
