-- Pending documents are processed in order of publication, so the earliest
-- report of a story is its alert however the files were read.
DROP INDEX documents_pending;
CREATE INDEX documents_pending ON documents (published, id) WHERE processed = 0;
