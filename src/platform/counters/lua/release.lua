-- ARGV[1]: holdId. A live hold's units go back to available and off the member's count.
if not loaded() then return 0 end
local hold = redis.call('HGET', HOLDS, ARGV[1])
if not hold then return 0 end
local quantity, member = split_hold(hold)
redis.call('HDEL', HOLDS, ARGV[1])
redis.call('ZREM', LEASES, ARGV[1])
redis.call('HINCRBY', META, 'held', -quantity)
redis.call('HINCRBY', META, 'available', quantity)
add_to_member(member, -quantity)
return 1
