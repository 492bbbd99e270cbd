package telegram

import (
	"slices"
	"testing"
)

func TestParseAllowedChats(t *testing.T) {
	tests := []struct {
		in      string
		want    []int64
		wantErr bool
	}{
		{"", []int64{}, false},
		{" , ", []int64{}, false},
		{"-1001234567890", []int64{-1001234567890}, false},
		{"123456789, -1001234567890 ,-42", []int64{-1001234567890, -42, 123456789}, false},
		{"123,123", []int64{123}, false},
		{"@channel", nil, true},
		{"12a", nil, true},
		{"0", nil, true},
		{"1;2", nil, true},
		{"99999999999999999999", nil, true},
	}
	for _, tt := range tests {
		a, err := ParseAllowedChats(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseAllowedChats(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && !slices.Equal(a.IDs(), tt.want) {
			t.Errorf("ParseAllowedChats(%q) = %v, want %v", tt.in, a.IDs(), tt.want)
		}
	}
}

func TestAllowedChatsAllows(t *testing.T) {
	var zero AllowedChats
	if zero.Allows(1) || zero.Allows(-1001234567890) {
		t.Error("the zero AllowedChats allows a chat")
	}
	a := NewAllowedChats(-1001234567890, 42)
	for id, want := range map[int64]bool{-1001234567890: true, 42: true, -42: false, 1234567890: false} {
		if got := a.Allows(id); got != want {
			t.Errorf("Allows(%d) = %v, want %v", id, got, want)
		}
	}
}
