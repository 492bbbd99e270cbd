-- Times are timestamptz (microseconds), except file_state.mod_time, which
-- keeps a file system's nanoseconds as bigint nanoseconds since 1970.

CREATE TABLE documents (
	seq            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id             text COLLATE "C" NOT NULL UNIQUE,
	source         text        NOT NULL DEFAULT '',
	path           text        NOT NULL DEFAULT '',
	url            text        NOT NULL DEFAULT '',
	title          text        NOT NULL DEFAULT '',
	published      timestamptz NOT NULL,
	date_from_file boolean     NOT NULL DEFAULT false,
	title_derived  boolean     NOT NULL DEFAULT false,
	body           text        NOT NULL DEFAULT '',
	language       text        NOT NULL DEFAULT '',
	stored_at      timestamptz NOT NULL,
	processed      boolean     NOT NULL DEFAULT false,
	-- The words of the folded title and body (corpus.Fold), without
	-- positions: Search needs all words, not phrases.
	fts            tsvector    NOT NULL
);
CREATE INDEX documents_pending ON documents (stored_at, seq) WHERE NOT processed;
CREATE INDEX documents_fts ON documents USING gin (fts);

CREATE TABLE document_paths (
	seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	doc_id text COLLATE "C" NOT NULL REFERENCES documents (id),
	path   text   NOT NULL,
	UNIQUE (doc_id, path)
);

CREATE TABLE doc_regions (
	doc_id      text COLLATE "C" NOT NULL REFERENCES documents (id),
	seq         integer NOT NULL,
	place_id    bigint  NOT NULL,
	name        text    NOT NULL,
	level       text    NOT NULL DEFAULT '',
	admin1      text    NOT NULL DEFAULT '',
	admin1_name text    NOT NULL DEFAULT '',
	country     text    NOT NULL DEFAULT '',
	text        text    NOT NULL DEFAULT '',
	"offset"    integer NOT NULL DEFAULT 0,
	PRIMARY KEY (doc_id, seq)
);

-- doc_places indexes documents by the places they name for Latest: one row
-- per document and key, the key being 'p:<place id>', 'a:<admin1 code>' or
-- 'c:<country code>'; place and offset are the key's first mention.
CREATE TABLE doc_places (
	key       text COLLATE "C" NOT NULL,
	published timestamptz NOT NULL,
	doc_id    text COLLATE "C" NOT NULL REFERENCES documents (id),
	place     text        NOT NULL,
	"offset"  integer     NOT NULL,
	PRIMARY KEY (key, published, doc_id)
);
CREATE INDEX doc_places_doc ON doc_places (doc_id);

CREATE TABLE doc_matches (
	doc_id     text COLLATE "C" NOT NULL REFERENCES documents (id),
	seq        integer NOT NULL,
	rule       text    NOT NULL,
	keywords   jsonb   NOT NULL DEFAULT 'null',
	regions    jsonb   NOT NULL DEFAULT 'null',
	group_key  text    NOT NULL DEFAULT '',
	group_name text    NOT NULL DEFAULT '',
	evidence   text    NOT NULL DEFAULT '',
	PRIMARY KEY (doc_id, seq)
);

CREATE TABLE file_state (
	path     text   PRIMARY KEY,
	size     bigint NOT NULL,
	mod_time bigint,
	doc_id   text   NOT NULL DEFAULT '',
	skipped  text   NOT NULL DEFAULT ''
);

-- LSH band hashes (uint64 stored as their int64 bit pattern).
CREATE TABLE lsh_bands (
	band   bigint NOT NULL,
	doc_id text COLLATE "C" NOT NULL,
	PRIMARY KEY (band, doc_id)
);

CREATE TABLE copy_of (
	doc_id   text PRIMARY KEY,
	original text NOT NULL
);

CREATE TABLE stories (
	id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	rule       text        NOT NULL,
	key        text        NOT NULL,
	key_name   text        NOT NULL DEFAULT '',
	first_at   timestamptz NOT NULL,
	last_at    timestamptz NOT NULL,
	created_at timestamptz NOT NULL
);
CREATE INDEX stories_rule_key ON stories (rule, key, last_at);
CREATE INDEX stories_last ON stories (last_at);

CREATE TABLE story_members (
	story_id  bigint      NOT NULL REFERENCES stories (id),
	doc_id    text COLLATE "C" NOT NULL,
	published timestamptz NOT NULL,
	copy_of   text        NOT NULL DEFAULT '',
	PRIMARY KEY (story_id, doc_id)
);
CREATE INDEX story_members_doc ON story_members (doc_id);

-- The outbox. claimed_by is the replica (DB.instance) that claimed a row
-- being sent; a replica holds an advisory lock on its id while it lives.
CREATE TABLE outbox (
	id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key        text        NOT NULL UNIQUE,
	transport  text        NOT NULL,
	channel    text        NOT NULL,
	kind       text        NOT NULL DEFAULT '',
	story_id   bigint      NOT NULL DEFAULT 0,
	parent_key text        NOT NULL DEFAULT '',
	payload    bytea       NOT NULL DEFAULT '',
	state      text        NOT NULL DEFAULT 'pending'
		CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
	attempts   integer     NOT NULL DEFAULT 0,
	due        timestamptz NOT NULL,
	remote_id  text        NOT NULL DEFAULT '',
	last_error text        NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	sent_at    timestamptz,
	claimed_by bigint,
	claimed_at timestamptz
);
-- The rows still to deliver, by channel in order.
CREATE INDEX outbox_open ON outbox (transport, channel, id) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_state ON outbox (state, id);

-- Ids of replicas, for their advisory locks (two int4 keys).
CREATE SEQUENCE replica_ids AS integer CYCLE;

CREATE TABLE state (
	key   text PRIMARY KEY,
	value text NOT NULL
);

CREATE TABLE subscriptions (
	digest    text COLLATE "C" NOT NULL,
	transport text COLLATE "C" NOT NULL,
	channel   text COLLATE "C" NOT NULL,
	at        text NOT NULL DEFAULT '',
	timezone  text NOT NULL DEFAULT '',
	PRIMARY KEY (digest, transport, channel)
);

CREATE TABLE mutes (
	transport text COLLATE "C" NOT NULL,
	channel   text COLLATE "C" NOT NULL,
	target    text COLLATE "C" NOT NULL,
	until     timestamptz NOT NULL,
	PRIMARY KEY (transport, channel, target)
);
