-- Delivery health of each channel, shared by every replica: a channel
-- paused after a rate limit or an outage, and the last error seen.
-- Channel '' stands for every channel of a transport (a refused token).
CREATE TABLE outbox_channels (
	transport    text        NOT NULL,
	channel      text        NOT NULL,
	paused_until timestamptz,
	failures     integer     NOT NULL DEFAULT 0,
	last_error   text        NOT NULL DEFAULT '',
	updated_at   timestamptz NOT NULL,
	PRIMARY KEY (transport, channel)
);
