-- Signatures of signed requests (Slack), kept until they expire so that a
-- replayed request is refused, by every process and after a restart.
CREATE TABLE request_nonces (
	key     TEXT    PRIMARY KEY,
	expires INTEGER NOT NULL
);
CREATE INDEX request_nonces_expires ON request_nonces (expires);
