// Package chattest provides fakes of the chat platforms' real HTTP APIs, run
// on httptest servers, so that tests drive the real client libraries end to
// end: a Slack Web API with Socket Mode and response_url hooks
// (SlackServer), and a Telegram Bot API.
//
// The fakes follow each platform's documented wire format, record every call
// and can be told to fail the next calls to a method, so tests can check
// rate limits, server errors and API errors without a network.
package chattest
