-- Index each document's words as it is stored. GIN's pending list batches
-- index updates, which helps bulk inserts but makes every search scan the
-- list until it is merged, and misleads the planner's cost of the index;
-- the store inserts one document per transaction anyway.
ALTER INDEX documents_fts SET (fastupdate = off);
