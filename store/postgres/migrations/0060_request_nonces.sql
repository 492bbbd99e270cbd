-- Signatures of signed requests (Slack), kept until they expire so that a
-- replayed request is refused, by every replica and after a restart.
CREATE TABLE request_nonces (
	key     text COLLATE "C" PRIMARY KEY,
	expires timestamptz NOT NULL
);
CREATE INDEX request_nonces_expires ON request_nonces (expires);
