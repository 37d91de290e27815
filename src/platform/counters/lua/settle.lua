-- ARGV[1]: holdId. A live hold becomes sold; it stays on the member's count.
if not loaded() then return 0 end
local hold = redis.call('HGET', HOLDS, ARGV[1])
if not hold then return 0 end
local quantity = split_hold(hold)
redis.call('HDEL', HOLDS, ARGV[1])
redis.call('ZREM', LEASES, ARGV[1])
redis.call('HSET', SOLD, ARGV[1], hold)
redis.call('HINCRBY', META, 'held', -quantity)
redis.call('HINCRBY', META, 'sold', quantity)
return 1
