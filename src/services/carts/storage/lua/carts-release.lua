-- The writes of carts ARGV[2..] under the lease ending at ARGV[1] are over. KEYS[1] = the due index. A cart changed
-- since the claim had its score lowered (ZADD LT to its own due time): it stays due; the others leave the index.
-- One call for a whole batch: a command per cart cost more than the check itself.
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == lease then redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return 1
