package storetest

import (
	"github.com/wirewatch/wirewatch/store"
)

func testState(e *env) {
	s := e.open()
	_, err := s.GetState(e.ctx, "telegram.offset")
	e.notFound(err, "GetState of an unknown key")
	for _, v := range []string{"1001", "", "1002 ünïcode"} {
		e.must(s.SetState(e.ctx, "telegram.offset", v), "SetState")
		got, err := s.GetState(e.ctx, "telegram.offset")
		e.must(err, "GetState")
		e.equal("GetState", got, v)
	}
	e.must(s.SetState(e.ctx, "other", "x"), "SetState")
	got, err := s.GetState(e.ctx, "telegram.offset")
	e.must(err, "GetState")
	e.equal("GetState after another key was set", got, "1002 ünïcode")
}

func testSubscriptions(e *env) {
	s := e.open()
	subs, err := s.Subscriptions(e.ctx)
	e.must(err, "Subscriptions")
	e.equal("Subscriptions of a new store", len(subs), 0)

	for _, sub := range []store.Subscription{
		{Digest: "afghanistan-daily", Transport: "telegram", Channel: "-100123", At: "08:00", Timezone: "Asia/Kabul"},
		{Digest: "afghanistan-daily", Transport: "slack", Channel: "C2", At: "09:00", Timezone: "UTC"},
		{Digest: "afghanistan-daily", Transport: "slack", Channel: "C1", At: "07:30", Timezone: "Europe/Paris"},
		{Digest: "markets", Transport: "slack", Channel: "C1"},
		{Digest: "afghanistan-daily", Transport: "slack", Channel: "C2", At: "18:00", Timezone: "Asia/Kabul"},
	} {
		e.must(s.Subscribe(e.ctx, sub), "Subscribe")
	}
	want := []store.Subscription{
		{Digest: "afghanistan-daily", Transport: "slack", Channel: "C1", At: "07:30", Timezone: "Europe/Paris"},
		{Digest: "afghanistan-daily", Transport: "slack", Channel: "C2", At: "18:00", Timezone: "Asia/Kabul"},
		{Digest: "afghanistan-daily", Transport: "telegram", Channel: "-100123", At: "08:00", Timezone: "Asia/Kabul"},
		{Digest: "markets", Transport: "slack", Channel: "C1"},
	}
	subs, err = s.Subscriptions(e.ctx)
	e.must(err, "Subscriptions")
	e.equal("Subscriptions", subs, want)

	e.must(s.Unsubscribe(e.ctx, "slack", "C1", "afghanistan-daily"), "Unsubscribe")
	e.notFound(s.Unsubscribe(e.ctx, "slack", "C1", "afghanistan-daily"), "Unsubscribe twice")
	e.notFound(s.Unsubscribe(e.ctx, "telegram", "C1", "markets"), "Unsubscribe of another transport")
	subs, err = s.Subscriptions(e.ctx)
	e.must(err, "Subscriptions")
	e.equal("Subscriptions after Unsubscribe", subs, want[1:])
}
