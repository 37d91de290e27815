-- ARGV: member, quantity, limit, key, holdId, expiresAtMs. All or nothing; refusals change nothing.
if not loaded() then return {'NOT_LOADED'} end
local member, quantity, limit, key, hold_id, expires = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]

local first = redis.call('HGET', IDEM, key)
if first then
  local record = cjson.decode(first)
  if record.m == member and record.q == ARGV[2] then return {'OK', record.h, record.e, '1'} end
  return {'KEY_REUSED'}
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
local position = redis.call('HGET', POSITIONS, member)
if position and tonumber(position) <= num(QUEUE, 'frontier') and redis.call('SADD', RESOLVED, member) == 1 then
  local p = tonumber(position)
  local last = redis.call('ZRANGEBYSCORE', BATCHES, p, '+inf', 'LIMIT', 0, 1)[1]
  if last then
    local from, at, resolved = parse_batch(redis.call('HGET', BATCH_INFO, last))
    if from <= p then
      redis.call('HSET', BATCH_INFO, last, int(from) .. ':' .. int(at) .. ':' .. int(resolved + 1))
      redis.call('HINCRBY', QUEUE, 'unresolved', -1)
    end
  end
end
return {'OK', hold_id, expires, '0'}
