-- A document's analysis goes in a table in the order it is written, with
-- an index by document, instead of one keyed by document ID: the IDs are
-- hashes, so every insert into the ID-keyed table landed on a random page
-- of a table of a few hundred bytes a document, which at a million
-- documents no page cache holds. Now only the index entries (a few dozen
-- bytes) are placed at random. Empty analyses are not stored (Analysis
-- reads a missing one as empty).
CREATE TABLE doc_analysis_by_seq (
	seq      INTEGER PRIMARY KEY,
	doc_id   TEXT    NOT NULL UNIQUE,
	analysis TEXT    NOT NULL
);
INSERT INTO doc_analysis_by_seq (doc_id, analysis) SELECT doc_id, analysis FROM doc_analysis WHERE analysis <> '{}';
DROP TABLE doc_analysis;
ALTER TABLE doc_analysis_by_seq RENAME TO doc_analysis;
