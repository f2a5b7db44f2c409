-- Scale-out: a claimed event holds a lease (unix seconds, real time) until which its claimer is presumed
-- alive; an instance that died mid-delivery leaves a lease that runs out, and any instance puts the event
-- back in the queue. (On SQLite, one process, a restart puts back every claimed event at once.)
ALTER TABLE event_outbox ADD COLUMN lease_until INTEGER;
-- Which instance claimed it (its id, kept in its data dir): a restarted instance takes back its own claims at once.
ALTER TABLE event_outbox ADD COLUMN claimed_by TEXT;
