-- Newest documents first, for Search when many documents hold its words:
-- it reads this index in order and stops at the limit instead of sorting
-- every match.
CREATE INDEX documents_published ON documents (published DESC, id DESC);
