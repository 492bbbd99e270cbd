-- Mutes get an id (never reused, so an old "Undo" cannot lift a newer
-- mute), a label and who made them; muted reports are counted; users
-- follow stories; alert buttons carry short ids.
CREATE TABLE mutes_v2 (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	transport  TEXT    NOT NULL,
	channel    TEXT    NOT NULL,
	target     TEXT    NOT NULL,
	label      TEXT    NOT NULL DEFAULT '',
	until      INTEGER NOT NULL,
	by_user    TEXT    NOT NULL DEFAULT '',
	by_name    TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL DEFAULT 0,
	UNIQUE (transport, channel, target)
);
INSERT INTO mutes_v2 (transport, channel, target, label, until)
	SELECT transport, channel, target, target, until FROM mutes;
DROP TABLE mutes;
ALTER TABLE mutes_v2 RENAME TO mutes;
CREATE INDEX mutes_until ON mutes (until);

CREATE TABLE muted_reports (
	transport TEXT    NOT NULL,
	channel   TEXT    NOT NULL,
	story     INTEGER NOT NULL,
	doc       TEXT    NOT NULL,
	kind      TEXT    NOT NULL,
	mute_id   INTEGER NOT NULL,
	at        INTEGER NOT NULL,
	PRIMARY KEY (transport, channel, story, doc)
);
CREATE INDEX muted_reports_at ON muted_reports (at);

CREATE TABLE follows (
	transport  TEXT    NOT NULL,
	user_id    TEXT    NOT NULL,
	user_name  TEXT    NOT NULL DEFAULT '',
	story      INTEGER NOT NULL,
	channel    TEXT    NOT NULL DEFAULT '',
	direct     TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (transport, user_id, story)
);
CREATE INDEX follows_story ON follows (story);

CREATE TABLE action_refs (
	id          TEXT    PRIMARY KEY,
	transport   TEXT    NOT NULL,
	channel     TEXT    NOT NULL,
	story       INTEGER NOT NULL,
	rule        TEXT    NOT NULL DEFAULT '',
	scope       TEXT    NOT NULL DEFAULT '',
	scope_label TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	UNIQUE (transport, channel, story)
);
