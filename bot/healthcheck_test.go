package bot

import (
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCheckHealth(t *testing.T) {
	srv := httptest.NewServer(NewHTTPHandler(HTTPOptions{}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	ctx := context.Background()
	for _, addr := range []string{srv.Listener.Addr().String(), ":" + port, "0.0.0.0:" + port} {
		if err := CheckHealth(ctx, addr); err != nil {
			t.Errorf("CheckHealth(%q): %v", addr, err)
		}
	}
	srv.Close()
	if err := CheckHealth(ctx, srv.Listener.Addr().String()); err == nil {
		t.Error("no error from a bot that is gone")
	}
	if err := CheckHealth(ctx, "8080"); err == nil || !strings.Contains(err.Error(), "BOT_HTTP_ADDR") {
		t.Errorf("a bad address: %v", err)
	}
}
