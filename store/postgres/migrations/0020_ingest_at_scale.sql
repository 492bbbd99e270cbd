-- Copy detection keeps its index of recent documents in memory: each
-- document's sketch (its LSH band keys, a few hundred bytes) replaces its
-- 64 rows of lsh_bands, and a starting process rebuilds the index from the
-- newest sketches. Documents stored before have none; the engine makes
-- theirs from their text when it starts.
DROP TABLE lsh_bands;
CREATE TABLE doc_sketches (
	seq    bigserial PRIMARY KEY,
	doc_id text COLLATE "C" NOT NULL UNIQUE,
	sketch bytea NOT NULL
);

-- A story is unique by rule, group key and the document that opened it, so
-- no race opens a story twice for one document. Stories made before get
-- their earliest member as lead (any later story with the same rule, key
-- and lead keeps a lead made unique by its id).
ALTER TABLE stories ADD COLUMN lead_doc text COLLATE "C";
UPDATE stories SET lead_doc = (SELECT m.doc_id FROM story_members m WHERE m.story_id = stories.id
	ORDER BY m.published, m.doc_id LIMIT 1);
UPDATE stories SET lead_doc = lead_doc || '#' || id
	WHERE lead_doc IS NOT NULL AND id NOT IN (SELECT min(id) FROM stories GROUP BY rule, key, lead_doc);
CREATE UNIQUE INDEX stories_lead ON stories (rule, key, lead_doc);

-- The reports a thread reply carries, one row each, so a report joins a
-- waiting reply without rewriting it.
CREATE TABLE reply_docs (
	seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	outbox_id bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
	doc_id    text COLLATE "C" NOT NULL,
	UNIQUE (outbox_id, doc_id)
);

-- Retention finds a story's rows still to deliver.
CREATE INDEX outbox_story ON outbox (story_id) WHERE state IN ('pending', 'sending');

-- Documents waiting for the engine, in order of publication: a row each,
-- deleted when processed, rather than a flag whose update writes a new
-- version of the whole document row.
CREATE TABLE pending_docs (
	published timestamptz NOT NULL,
	doc_id    text COLLATE "C" NOT NULL,
	PRIMARY KEY (published, doc_id)
);
INSERT INTO pending_docs (published, doc_id) SELECT published, id FROM documents WHERE NOT processed;
DROP INDEX documents_pending;
ALTER TABLE documents DROP COLUMN processed;

-- A document's analysis is one JSON value (regions and matches), one row
-- whatever their number; doc_places keeps indexing documents by place.
CREATE TABLE doc_analysis (
	doc_id   text COLLATE "C" PRIMARY KEY REFERENCES documents (id),
	analysis text NOT NULL
);
INSERT INTO doc_analysis (doc_id, analysis)
SELECT d.id, jsonb_build_object(
	'regions', coalesce((SELECT jsonb_agg(jsonb_build_object('place_id', r.place_id, 'name', r.name, 'level', r.level,
			'admin1', r.admin1, 'admin1_name', r.admin1_name, 'country', r.country, 'country_name', r.country_name,
			'weight', r.weight, 'admin1_weight', r.admin1_weight, 'country_weight', r.country_weight,
			'text', r.text, 'offset', r."offset")
			ORDER BY r.seq) FROM doc_regions r WHERE r.doc_id = d.id), '[]'::jsonb),
	'matches', coalesce((SELECT jsonb_agg(jsonb_build_object('rule', m.rule, 'keywords', m.keywords::jsonb,
			'regions', m.regions::jsonb, 'group_key', m.group_key, 'group_name', m.group_name, 'evidence', m.evidence)
			ORDER BY m.seq) FROM doc_matches m WHERE m.doc_id = d.id), '[]'::jsonb))::text
FROM documents d
WHERE EXISTS (SELECT 1 FROM doc_regions r WHERE r.doc_id = d.id) OR EXISTS (SELECT 1 FROM doc_matches m WHERE m.doc_id = d.id);
DROP TABLE doc_regions;
DROP TABLE doc_matches;
