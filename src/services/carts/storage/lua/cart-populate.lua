-- Puts a cart read from PostgreSQL into the working copy unless a copy is there (it is newer: every change goes
-- through it). KEYS[1] = the cart's hash; ARGV: cartJson, version, ttlMs. Answers {cartJson, version, flushedVersion}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'd', ARGV[1], 'v', ARGV[2], 'f', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return redis.call('HMGET', KEYS[1], 'd', 'v', 'f')
