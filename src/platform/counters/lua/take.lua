-- ARGV: member, quantity, limit, key, holdId, expiresAtMs[, nowMs, admissionTtlMs]. All or nothing; refusals
-- change nothing. With nowMs and admissionTtlMs the take spends the member's admission (counter-store.ts take).
if not loaded() then return {'NOT_LOADED'} end
local member, quantity, limit, key, hold_id, expires = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]

local first = redis.call('HGET', IDEM, key)
if first then
  local record = cjson.decode(first)
  if record.m == member and record.q == ARGV[2] then return {'OK', record.h, record.e, '1'} end
  return {'KEY_REUSED'}
end

-- the member's admitted batch: its last position, first position, admit time, resolved count (nil when lapsed)
local function batch_of(p)
  local last = redis.call('ZRANGEBYSCORE', BATCHES, p, '+inf', 'LIMIT', 0, 1)[1]
  if not last then return nil end
  local from, at, resolved = parse_batch(redis.call('HGET', BATCH_INFO, last))
  if from > p then return nil end
  return last, from, at, resolved
end

local position = tonumber(redis.call('HGET', POSITIONS, member) or '')
local admitted = position ~= nil and position <= num(QUEUE, 'frontier') and redis.call('SISMEMBER', RESOLVED, member) == 0
if ARGV[7] and admitted then
  -- an admission lapses once: counted by admit (its batch is gone) or past its deadline; either way no take
  local last, _, at = batch_of(position)
  if not last or at + tonumber(ARGV[8]) <= tonumber(ARGV[7]) then return {'ADMISSION_EXPIRED'} end
end
if num(MEMBERS, member) + quantity > limit then return {'LIMIT_REACHED'} end
if num(META, 'available') < quantity then return {'SOLD_OUT'} end
if redis.call('HEXISTS', HOLDS, hold_id) == 1 or redis.call('HEXISTS', SOLD, hold_id) == 1 then
  return redis.error_reply('HOLD_ID_IN_USE hold id ' .. hold_id .. ' is already in use')
end

redis.call('HINCRBY', META, 'available', -quantity)
redis.call('HINCRBY', META, 'held', quantity)
add_to_member(member, quantity)
redis.call('HSET', HOLDS, hold_id, ARGV[2] .. ':' .. member)
redis.call('ZADD', LEASES, expires, hold_id)
redis.call('HSET', IDEM, key, cjson.encode({ h = hold_id, m = member, q = ARGV[2], e = expires }))

-- a member's first take after admission resolves it; one from a lapsed batch was already counted resolved
if admitted then
  redis.call('SADD', RESOLVED, member)
  local last, from, at, resolved = batch_of(position)
  if last then
    redis.call('HSET', BATCH_INFO, last, int(from) .. ':' .. int(at) .. ':' .. int(resolved + 1))
    redis.call('HINCRBY', QUEUE, 'unresolved', -1)
  end
end
return {'OK', hold_id, expires, '0'}
