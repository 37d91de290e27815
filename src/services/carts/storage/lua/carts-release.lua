-- The write of cart ARGV[1] under the lease ending at ARGV[2] is over. A change since the claim lowered its score
-- (ZADD LT to its own due time): then it stays due; otherwise it leaves the index. KEYS[1] = the due index.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 1
