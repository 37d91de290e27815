-- ARGV: ratePerSecond, maxUnresolved, nowMs, admissionTtlMs (same rules as memory-counter-store.ts admit)
if not loaded() then return {'NOT_LOADED'} end
local rate, max_unresolved, now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local unresolved = num(QUEUE, 'unresolved')

-- admissions past their ttl count as resolved; batches are in admission order, so the lapsed ones come first
while true do
  local last = redis.call('ZRANGE', BATCHES, 0, 0)[1]
  if not last then break end
  local first, at, resolved = parse_batch(redis.call('HGET', BATCH_INFO, last))
  if at + ttl > now then break end
  unresolved = unresolved - (tonumber(last) - first + 1 - resolved)
  redis.call('ZREM', BATCHES, last)
  redis.call('HDEL', BATCH_INFO, last)
end

local frontier, length = num(QUEUE, 'frontier'), num(QUEUE, 'length')
local last_admit = redis.call('HGET', QUEUE, 'lastAdmitMs')
-- the first admit pays out one second; later ones the time since the last, capped at one second
local elapsed = 1000
if last_admit then elapsed = math.min(1000, math.max(0, now - tonumber(last_admit))) end
local credit = elapsed * rate + num(QUEUE, 'carry')
local due = math.floor(credit / 1000)
local admitted = math.max(0, math.min(due, length - frontier, max_unresolved - unresolved))
local carry = 0
if admitted == due then carry = credit - due * 1000 end
if admitted > 0 then
  local to = frontier + admitted
  redis.call('ZADD', BATCHES, to, int(to))
  redis.call('HSET', BATCH_INFO, int(to), int(frontier + 1) .. ':' .. ARGV[3] .. ':0')
  frontier = to
  unresolved = unresolved + admitted
end
if not last_admit or now > tonumber(last_admit) then redis.call('HSET', QUEUE, 'lastAdmitMs', ARGV[3]) end
redis.call('HSET', QUEUE, 'frontier', int(frontier), 'unresolved', int(unresolved), 'carry', tostring(carry))
return {'OK', int(frontier)}
