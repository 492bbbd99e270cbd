-- Delivery health of each channel, shared by every process: a channel
-- paused after a rate limit or an outage, and the last error seen.
-- Channel '' stands for every channel of a transport (a refused token).
CREATE TABLE outbox_channels (
	transport    TEXT    NOT NULL,
	channel      TEXT    NOT NULL,
	paused_until INTEGER,
	failures     INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT    NOT NULL DEFAULT '',
	updated_at   INTEGER NOT NULL,
	PRIMARY KEY (transport, channel)
);
