-- Newest documents first, for Search when many documents hold its words:
-- the planner may read this index in order and stop at the limit instead
-- of sorting every match.
CREATE INDEX documents_published ON documents (published DESC, id DESC);
