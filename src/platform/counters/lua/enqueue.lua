-- ARGV[1]: member. One position per member: joining again answers the first one.
if not loaded() then return {'NOT_LOADED'} end
local known = redis.call('HGET', POSITIONS, ARGV[1])
if known then return {'OK', known, '0'} end
local position = redis.call('HINCRBY', QUEUE, 'length', 1)
redis.call('HSET', POSITIONS, ARGV[1], position)
return {'OK', int(position), '1'}
