-- Documents are stored a batch at a time, thousands in one statement.
-- Putting each document's words in the search index one by one
-- (fastupdate off, migration 0003) cost most of the time of storing
-- them; GIN's pending list takes them as they come and merges them into
-- the index in bulk, several times faster. The store merges the list at
-- the end of each batch (PutDocuments), so searches find it empty and the
-- planner's cost of the index holds.
ALTER INDEX documents_fts SET (fastupdate = on);
