-- Times are INTEGER microseconds since the Unix epoch, UTC, except
-- file_state.mod_time, which keeps a file system's nanoseconds.

CREATE TABLE documents (
	seq            INTEGER PRIMARY KEY,
	id             TEXT    NOT NULL UNIQUE,
	source         TEXT    NOT NULL DEFAULT '',
	path           TEXT    NOT NULL DEFAULT '',
	url            TEXT    NOT NULL DEFAULT '',
	title          TEXT    NOT NULL DEFAULT '',
	published      INTEGER NOT NULL,
	date_from_file INTEGER NOT NULL DEFAULT 0,
	title_derived  INTEGER NOT NULL DEFAULT 0,
	body           TEXT    NOT NULL DEFAULT '',
	language       TEXT    NOT NULL DEFAULT '',
	stored_at      INTEGER NOT NULL,
	processed      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_pending ON documents (stored_at, seq) WHERE processed = 0;

-- Every path a document was read from, in the order they were seen.
CREATE TABLE document_paths (
	doc_id TEXT NOT NULL REFERENCES documents (id),
	path   TEXT NOT NULL,
	UNIQUE (doc_id, path)
);

-- Full-text index of the folded title and body (corpus.Fold), kept by
-- PutDocument in the transaction that stores the document. The rowid is
-- documents.seq.
CREATE VIRTUAL TABLE documents_fts USING fts5 (title, body, content = '', tokenize = 'ascii');

CREATE TABLE doc_regions (
	doc_id      TEXT    NOT NULL REFERENCES documents (id),
	seq         INTEGER NOT NULL,
	place_id    INTEGER NOT NULL,
	name        TEXT    NOT NULL,
	level       TEXT    NOT NULL DEFAULT '',
	admin1      TEXT    NOT NULL DEFAULT '',
	admin1_name TEXT    NOT NULL DEFAULT '',
	country     TEXT    NOT NULL DEFAULT '',
	text        TEXT    NOT NULL DEFAULT '',
	"offset"    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;

-- doc_places indexes documents by the places they name for Latest: one row
-- per document and key, the key being 'p:<place id>', 'a:<admin1 code>' or
-- 'c:<country code>'; place and offset are the key's first mention.
-- published is the document's, so the newest documents of a key are read
-- in key order without a sort.
CREATE TABLE doc_places (
	key       TEXT    NOT NULL,
	published INTEGER NOT NULL,
	doc_id    TEXT    NOT NULL REFERENCES documents (id),
	place     TEXT    NOT NULL,
	"offset"  INTEGER NOT NULL,
	PRIMARY KEY (key, published, doc_id)
) WITHOUT ROWID;
CREATE INDEX doc_places_doc ON doc_places (doc_id);

CREATE TABLE doc_matches (
	doc_id     TEXT    NOT NULL REFERENCES documents (id),
	seq        INTEGER NOT NULL,
	rule       TEXT    NOT NULL,
	keywords   TEXT    NOT NULL DEFAULT 'null', -- JSON array
	regions    TEXT    NOT NULL DEFAULT 'null', -- JSON array
	group_key  TEXT    NOT NULL DEFAULT '',
	group_name TEXT    NOT NULL DEFAULT '',
	evidence   TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;

CREATE TABLE file_state (
	path     TEXT    PRIMARY KEY,
	size     INTEGER NOT NULL,
	mod_time INTEGER, -- nanoseconds since the Unix epoch
	doc_id   TEXT    NOT NULL DEFAULT '',
	skipped  TEXT    NOT NULL DEFAULT ''
);

-- LSH band hashes (uint64 stored as their int64 bit pattern).
CREATE TABLE lsh_bands (
	band   INTEGER NOT NULL,
	doc_id TEXT    NOT NULL,
	PRIMARY KEY (band, doc_id)
) WITHOUT ROWID;

CREATE TABLE copy_of (
	doc_id   TEXT PRIMARY KEY,
	original TEXT NOT NULL
);

CREATE TABLE stories (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	rule       TEXT    NOT NULL,
	key        TEXT    NOT NULL,
	key_name   TEXT    NOT NULL DEFAULT '',
	first_at   INTEGER NOT NULL,
	last_at    INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX stories_rule_key ON stories (rule, key, last_at);
CREATE INDEX stories_last ON stories (last_at);

CREATE TABLE story_members (
	story_id  INTEGER NOT NULL REFERENCES stories (id),
	doc_id    TEXT    NOT NULL,
	published INTEGER NOT NULL,
	copy_of   TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (story_id, doc_id)
) WITHOUT ROWID;
CREATE INDEX story_members_doc ON story_members (doc_id);

-- The outbox. AUTOINCREMENT keeps ids growing even after deletes, so the
-- id orders the rows of a channel. claimed_by is the handle (DB.instance)
-- that claimed a row being sent.
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	key        TEXT    NOT NULL UNIQUE,
	transport  TEXT    NOT NULL,
	channel    TEXT    NOT NULL,
	kind       TEXT    NOT NULL DEFAULT '',
	story_id   INTEGER NOT NULL DEFAULT 0,
	parent_key TEXT    NOT NULL DEFAULT '',
	payload    BLOB,
	state      TEXT    NOT NULL DEFAULT 'pending'
		CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	due        INTEGER NOT NULL,
	remote_id  TEXT    NOT NULL DEFAULT '',
	last_error TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	sent_at    INTEGER,
	claimed_by INTEGER,
	claimed_at INTEGER
);
-- The rows still to deliver, by channel in order: OutboxHeads reads the
-- first of each channel from here, never touching delivered rows.
CREATE INDEX outbox_open ON outbox (transport, channel, id) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_state ON outbox (state);

CREATE TABLE state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE subscriptions (
	digest    TEXT NOT NULL,
	transport TEXT NOT NULL,
	channel   TEXT NOT NULL,
	at        TEXT NOT NULL DEFAULT '',
	timezone  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (digest, transport, channel)
);

CREATE TABLE mutes (
	transport TEXT    NOT NULL,
	channel   TEXT    NOT NULL,
	target    TEXT    NOT NULL,
	until     INTEGER NOT NULL,
	PRIMARY KEY (transport, channel, target)
);
