-- Takes up to ARGV[2] carts due by ARGV[1] from the due index (KEYS[1], a sorted set: cart id → due time in ms)
-- and leases them until ARGV[3]: their score becomes the lease's end, so no other flusher takes them before it
-- runs out (and a flusher that died leaves them due again then). Answers the cart ids.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], id) end
return due
