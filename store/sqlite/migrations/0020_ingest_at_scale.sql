-- Copy detection keeps its index of recent documents in memory: each
-- document's sketch (its LSH band keys, a few hundred bytes) replaces its
-- 64 rows of lsh_bands, and a starting process rebuilds the index from the
-- newest sketches. Documents stored before have none; the engine makes
-- theirs from their text when it starts.
DROP TABLE lsh_bands;
CREATE TABLE doc_sketches (
	seq    INTEGER PRIMARY KEY,
	doc_id TEXT    NOT NULL UNIQUE,
	sketch BLOB    NOT NULL
);

-- A story is unique by rule, group key and the document that opened it, so
-- no race opens a story twice for one document. Stories made before get
-- their earliest member as lead (any later story with the same rule, key
-- and lead keeps a lead made unique by its id).
ALTER TABLE stories ADD COLUMN lead_doc TEXT;
UPDATE stories SET lead_doc = (SELECT m.doc_id FROM story_members m WHERE m.story_id = stories.id
	ORDER BY m.published, m.doc_id LIMIT 1);
UPDATE stories SET lead_doc = lead_doc || '#' || id
	WHERE lead_doc IS NOT NULL AND id NOT IN (SELECT min(id) FROM stories GROUP BY rule, key, lead_doc);
CREATE UNIQUE INDEX stories_lead ON stories (rule, key, lead_doc);

-- The reports a thread reply carries, one row each, so a report joins a
-- waiting reply without rewriting it.
CREATE TABLE reply_docs (
	outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
	doc_id    TEXT    NOT NULL,
	UNIQUE (outbox_id, doc_id)
);

-- Retention finds a story's rows still to deliver.
CREATE INDEX outbox_story ON outbox (story_id) WHERE state IN ('pending', 'sending');

-- Documents waiting for the engine, in order of publication: a row each,
-- deleted when processed, rather than a flag whose update rewrites the
-- whole document row. (Dropping the column rewrites the table once.)
CREATE TABLE pending_docs (
	published INTEGER NOT NULL,
	doc_id    TEXT    NOT NULL,
	PRIMARY KEY (published, doc_id)
) WITHOUT ROWID;
INSERT INTO pending_docs (published, doc_id) SELECT published, id FROM documents WHERE processed = 0;
DROP INDEX documents_pending;
ALTER TABLE documents DROP COLUMN processed;

-- A document's analysis is one JSON value (regions and matches), one row
-- whatever their number; doc_places keeps indexing documents by place.
-- Its rows are deleted by their keys, found from the analysis, so they
-- need no index by document.
CREATE TABLE doc_analysis (
	doc_id   TEXT PRIMARY KEY,
	analysis TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO doc_analysis (doc_id, analysis)
SELECT d.id, json_object(
	'regions', (SELECT json_group_array(json_object('place_id', r.place_id, 'name', r.name, 'level', r.level,
			'admin1', r.admin1, 'admin1_name', r.admin1_name, 'country', r.country, 'country_name', r.country_name,
			'weight', r.weight, 'admin1_weight', r.admin1_weight, 'country_weight', r.country_weight,
			'text', r.text, 'offset', r."offset"))
		FROM (SELECT * FROM doc_regions r WHERE r.doc_id = d.id ORDER BY r.seq) r),
	'matches', (SELECT json_group_array(json_object('rule', m.rule, 'keywords', json(m.keywords), 'regions', json(m.regions),
			'group_key', m.group_key, 'group_name', m.group_name, 'evidence', m.evidence))
		FROM (SELECT * FROM doc_matches m WHERE m.doc_id = d.id ORDER BY m.seq) m))
FROM documents d
WHERE EXISTS (SELECT 1 FROM doc_regions r WHERE r.doc_id = d.id) OR EXISTS (SELECT 1 FROM doc_matches m WHERE m.doc_id = d.id);
DROP TABLE doc_regions;
DROP TABLE doc_matches;
DROP INDEX doc_places_doc;

-- The search index keeps which documents hold each word, not where:
-- Search wants documents holding all the words, never a phrase, and
-- positions cost more than half of the index's writing. Being contentless,
-- the index is filled again from the documents by the program when it
-- opens the file (the row below says from where).
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5 (title, body, content = '', tokenize = 'ascii', detail = none);
INSERT INTO state (key, value) SELECT 'sqlite/search-index-from', '0' WHERE EXISTS (SELECT 1 FROM documents);
