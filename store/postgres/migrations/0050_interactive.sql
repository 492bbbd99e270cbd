-- Mutes get an id (never reused, so an old "Undo" cannot lift a newer
-- mute), a label and who made them; muted reports are counted; users
-- follow stories; alert buttons carry short ids.
ALTER TABLE mutes DROP CONSTRAINT mutes_pkey;
ALTER TABLE mutes ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE mutes ADD CONSTRAINT mutes_target_key UNIQUE (transport, channel, target);
ALTER TABLE mutes ADD COLUMN label text NOT NULL DEFAULT '';
ALTER TABLE mutes ADD COLUMN by_user text NOT NULL DEFAULT '';
ALTER TABLE mutes ADD COLUMN by_name text NOT NULL DEFAULT '';
ALTER TABLE mutes ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
UPDATE mutes SET label = target;
CREATE INDEX mutes_until ON mutes (until);

CREATE TABLE muted_reports (
	transport text COLLATE "C" NOT NULL,
	channel   text COLLATE "C" NOT NULL,
	story     bigint NOT NULL,
	doc       text COLLATE "C" NOT NULL,
	kind      text NOT NULL,
	mute_id   bigint NOT NULL,
	at        timestamptz NOT NULL,
	PRIMARY KEY (transport, channel, story, doc)
);
CREATE INDEX muted_reports_at ON muted_reports (at);

CREATE TABLE follows (
	transport  text COLLATE "C" NOT NULL,
	user_id    text COLLATE "C" NOT NULL,
	user_name  text NOT NULL DEFAULT '',
	story      bigint NOT NULL,
	channel    text COLLATE "C" NOT NULL DEFAULT '',
	direct     text COLLATE "C" NOT NULL,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (transport, user_id, story)
);
CREATE INDEX follows_story ON follows (story);

CREATE TABLE action_refs (
	id          text COLLATE "C" PRIMARY KEY,
	transport   text COLLATE "C" NOT NULL,
	channel     text COLLATE "C" NOT NULL,
	story       bigint NOT NULL,
	rule        text NOT NULL DEFAULT '',
	scope       text NOT NULL DEFAULT '',
	scope_label text NOT NULL DEFAULT '',
	created_at  timestamptz NOT NULL,
	UNIQUE (transport, channel, story)
);
