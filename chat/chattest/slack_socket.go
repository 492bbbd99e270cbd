package chattest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
)

// SlackAck is a Socket Mode acknowledgement the fake received.
// Specs: https://docs.slack.dev/apis/events-api/using-socket-mode#acknowledge
type SlackAck struct {
	EnvelopeID string `json:"envelope_id"`
	// Payload is the response payload sent with the ack, or nil.
	Payload json.RawMessage `json:"payload,omitempty"`
}

// SlackHookPost is a message an app posted to a response_url.
// Specs: https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
type SlackHookPost struct {
	ResponseType    string          `json:"response_type"`
	Text            string          `json:"text"`
	Blocks          json.RawMessage `json:"blocks"`
	ReplaceOriginal bool            `json:"replace_original"`
}

type slackSocket struct {
	conn *websocket.Conn
	wmu  sync.Mutex // gorilla/websocket allows one writer at a time
}

func (c *slackSocket) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.conn.WriteJSON(v); err != nil {
		return fmt.Errorf("write websocket: %w", err)
	}
	return nil
}

// serveSocket is the websocket that apps.connections.open points to. It
// greets the client with "hello" and records every ack it sends.
func (s *SlackServer) serveSocket(w http.ResponseWriter, r *http.Request) {
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s.wg.Add(1)
	defer s.wg.Done()
	sock := &slackSocket{conn: conn}
	s.mu.Lock()
	s.sockets[sock] = true
	s.opened++
	s.mu.Unlock()
	defer func() {
		_ = conn.Close()
		s.mu.Lock()
		delete(s.sockets, sock)
		s.notifyLocked()
		s.mu.Unlock()
	}()
	hello := map[string]any{
		"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A0CHATTEST"},
		"debug_info":      map[string]any{"host": "chattest", "approximate_connection_time": 18060},
	}
	if err := sock.write(hello); err != nil {
		return
	}
	s.mu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
	for {
		_, raw, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var ack SlackAck
		if json.Unmarshal(raw, &ack) != nil || ack.EnvelopeID == "" {
			continue
		}
		s.mu.Lock()
		s.acks[ack.EnvelopeID] = ack
		s.notifyLocked()
		s.mu.Unlock()
	}
}

// SocketsOpened counts the Socket Mode connections opened so far.
func (s *SlackServer) SocketsOpened() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened
}

// WaitSocket waits until a Socket Mode client is connected and greeted.
func (s *SlackServer) WaitSocket(ctx context.Context) error {
	return s.wait(ctx, func() bool { return len(s.sockets) > 0 })
}

// WaitSocketsClosed waits until no Socket Mode client is connected.
func (s *SlackServer) WaitSocketsClosed(ctx context.Context) error {
	return s.wait(ctx, func() bool { return len(s.sockets) == 0 })
}

// SendSlashCommand delivers cmd to the connected Socket Mode client in a
// slash_commands envelope and returns the envelope id.
// Specs: https://docs.slack.dev/apis/events-api/using-socket-mode#command
func (s *SlackServer) SendSlashCommand(ctx context.Context, cmd slack.SlashCommand) (string, error) {
	return s.sendEnvelope(ctx, "slash_commands", cmd, true)
}

// WaitAck waits for the client's ack of envelope id.
func (s *SlackServer) WaitAck(ctx context.Context, id string) (SlackAck, error) {
	var ack SlackAck
	err := s.wait(ctx, func() bool {
		a, ok := s.acks[id]
		ack = a
		return ok
	})
	return ack, err
}

// ResponseURL returns a response_url served by the fake; posts to it are
// kept under name.
func (s *SlackServer) ResponseURL(name string) string {
	return s.srv.URL + "/commands/T0CHATTEST/" + name
}

// serveHook receives posts to response URLs and answers "ok" like Slack.
func (s *SlackServer) serveHook(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	raw, err := io.ReadAll(r.Body)
	var post SlackHookPost
	if err == nil {
		err = json.Unmarshal(raw, &post)
	}
	if r.Method != http.MethodPost || err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.hooks[name] = append(s.hooks[name], post)
	s.notifyLocked()
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "ok")
}

// WaitHookPosts waits until at least n messages were posted to the
// response_url of name and returns them all.
func (s *SlackServer) WaitHookPosts(ctx context.Context, name string, n int) ([]SlackHookPost, error) {
	var posts []SlackHookPost
	err := s.wait(ctx, func() bool {
		posts = append([]SlackHookPost(nil), s.hooks[name]...)
		return len(posts) >= n
	})
	return posts, err
}

// HookPosts returns the messages posted to the response_url of name so far.
func (s *SlackServer) HookPosts(name string) []SlackHookPost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SlackHookPost(nil), s.hooks[name]...)
}

// WaitCalls waits until at least n calls to method were received.
func (s *SlackServer) WaitCalls(ctx context.Context, method string, n int) error {
	return s.wait(ctx, func() bool {
		count := 0
		for _, c := range s.calls {
			if c.Method == method {
				count++
			}
		}
		return count >= n
	})
}

// wait blocks until ready, called with s.mu held, is true or ctx ends.
func (s *SlackServer) wait(ctx context.Context, ready func() bool) error {
	for {
		s.mu.Lock()
		ok := ready()
		changed := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return errors.Join(errors.New("chattest: gave up waiting"), ctx.Err())
		}
	}
}
