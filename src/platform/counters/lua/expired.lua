-- ARGV: nowMs, max. Live holds whose lease ended at or before nowMs, oldest first (ties by id).
if not loaded() then return {} end
return redis.call('ZRANGEBYSCORE', LEASES, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
