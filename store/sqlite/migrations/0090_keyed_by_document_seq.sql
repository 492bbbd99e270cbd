-- A document's analysis and sketch are keyed by the document's row number
-- (documents.seq, given in the order documents are stored) instead of by
-- its ID. The IDs are hashes, so each new row's ID entry landed on a
-- random page of an index that, past a few hundred thousand documents, no
-- page cache holds; row numbers grow as documents come, so new entries go
-- to the last pages. Readers reach a document's rows from its ID through
-- documents, whose own index by ID they already use.
CREATE TABLE doc_analysis_by_doc (
	doc_seq  INTEGER PRIMARY KEY,
	analysis TEXT    NOT NULL
);
INSERT INTO doc_analysis_by_doc (doc_seq, analysis)
SELECT d.seq, a.analysis FROM doc_analysis a JOIN documents d ON d.id = a.doc_id ORDER BY d.seq;
DROP TABLE doc_analysis;
ALTER TABLE doc_analysis_by_doc RENAME TO doc_analysis;

-- seq keeps the order in which sketches were set (the newest last).
CREATE TABLE doc_sketches_by_doc (
	seq     INTEGER PRIMARY KEY,
	doc_seq INTEGER NOT NULL UNIQUE,
	sketch  BLOB    NOT NULL
);
INSERT INTO doc_sketches_by_doc (seq, doc_seq, sketch)
SELECT s.seq, d.seq, s.sketch FROM doc_sketches s JOIN documents d ON d.id = s.doc_id ORDER BY s.seq;
DROP TABLE doc_sketches;
ALTER TABLE doc_sketches_by_doc RENAME TO doc_sketches;
