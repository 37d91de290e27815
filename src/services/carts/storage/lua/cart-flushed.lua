-- PostgreSQL holds version ARGV[1] of the cart: the flushed version only moves forward. KEYS[1] = the cart's hash.
local f = redis.call('HGET', KEYS[1], 'f')
if f and tonumber(f) < tonumber(ARGV[1]) then redis.call('HSET', KEYS[1], 'f', ARGV[1]) end
return 1
