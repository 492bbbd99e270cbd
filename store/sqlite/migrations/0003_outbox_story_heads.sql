-- Outbox heads are per (transport, channel, story): a reply waiting for its
-- update interval holds up its own story only.
DROP INDEX outbox_open;
CREATE INDEX outbox_open ON outbox (transport, channel, story_id, id) WHERE state IN ('pending', 'sending');
