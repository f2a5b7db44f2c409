-- Only the head of each FIFO key (handler + dialog) is claimable: an event behind an unfinished one of its key
-- waits as 'queued' and becomes 'pending' when its predecessor is delivered or fails. Claiming is then an index
-- range over the due heads, whatever the backlog behind them (it was a scan of every pending event).
UPDATE event_outbox SET status = 'queued'
 WHERE status = 'pending'
   AND id <> (SELECT MIN(x.id) FROM event_outbox x
               WHERE x.fifo_key = event_outbox.fifo_key AND x.status IN ('pending', 'sending'));
