-- ARGV[1]: holdId. A sold hold whose order failed: its units are available again and off the member's count.
if not loaded() then return 0 end
local hold = redis.call('HGET', SOLD, ARGV[1])
if not hold then return 0 end
local quantity, member = split_hold(hold)
redis.call('HDEL', SOLD, ARGV[1])
redis.call('HINCRBY', META, 'sold', -quantity)
redis.call('HINCRBY', META, 'available', quantity)
add_to_member(member, -quantity)
return 1
