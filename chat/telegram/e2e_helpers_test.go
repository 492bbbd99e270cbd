package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/chat"
	"github.com/wirewatch/wirewatch/chat/chattest"
	"github.com/wirewatch/wirewatch/chat/telegram"
)

const (
	group   int64 = -1001234567890 // an allowed supergroup
	foreign int64 = -1009999999999 // a supergroup nobody allowed
	user    int64 = 4242           // a user writing in them
)

// sleeps records the waits a component asked for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// env is a fake Bot API with a Transport talking to it.
type env struct {
	srv    *chattest.TelegramServer
	tr     *telegram.Transport
	sleeps *sleeps
	logs   *syncBuffer
	log    *slog.Logger
}

func newEnv(t *testing.T, opts ...telegram.Option) *env {
	t.Helper()
	e := &env{srv: chattest.NewTelegramServer(t), sleeps: &sleeps{}, logs: &syncBuffer{}}
	e.log = slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts = append([]telegram.Option{telegram.WithLogger(e.log)}, opts...)
	tr, err := telegram.New(context.Background(), e.srv.Token, e.srv.URL, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.tr = tr
	return e
}

// recorder is a command handler that records what it got.
type recorder struct {
	mu   sync.Mutex
	cmds []chat.Command
}

func (r *recorder) HandleCommand(_ context.Context, c chat.Command) chat.Message {
	r.mu.Lock()
	r.cmds = append(r.cmds, c)
	r.mu.Unlock()
	return chat.Message{Kind: chat.KindReply, Text: fmt.Sprintf("%s: %s", c.Name, c.Args)}
}

func (r *recorder) commands() []chat.Command {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]chat.Command(nil), r.cmds...)
}

func (e *env) dispatcher(h chat.Handler, allowed ...int64) *telegram.Dispatcher {
	return &telegram.Dispatcher{Transport: e.tr, Handler: h, Allowed: telegram.NewAllowedChats(allowed...), Logger: e.log, Menu: testMenu}
}

// testMenu is the command menu the tests' bots set.
var testMenu = []chat.MenuItem{
	{Command: "latest", Description: "Newest articles about a place or words: /latest badghis 5"},
	{Command: "help", Description: "The commands"},
}

// memStore is an OffsetStore in memory.
type memStore struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *memStore) GetState(_ context.Context, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key], nil // "" for a key never set
}

func (s *memStore) SetState(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[key] = value
	return nil
}

// waitCall returns a channel that receives the calls to method as the
// fake answers them.
func waitCall(srv *chattest.TelegramServer, method string) <-chan chattest.TelegramCall {
	ch := make(chan chattest.TelegramCall, 100)
	srv.OnAnswer(func(c chattest.TelegramCall) {
		if c.Method == method {
			ch <- c
		}
	})
	return ch
}
