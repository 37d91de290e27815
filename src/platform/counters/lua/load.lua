-- ARGV[1]: the state as json (numbers as strings; k = idempotency key, e = lease end), ARGV[2]: '1' to keep the queue
-- Replaces the scope with the state; idempotency records survive only for holds the state still has, so a
-- retried take of a hold the truth knows keeps replaying, and one of a hold it never recorded takes afresh.
local state = cjson.decode(ARGV[1])
local alive = {}
for _, h in ipairs(state.holds) do alive[h.h] = true end
for _, s in ipairs(state.sold) do alive[s.h] = true end
local keep = {}
local records = redis.call('HGETALL', IDEM)
for i = 1, #records, 2 do
  if alive[cjson.decode(records[i + 1]).h] then
    keep[#keep + 1] = records[i]
    keep[#keep + 1] = records[i + 1]
  end
end

redis.call('DEL', META, HOLDS, LEASES, SOLD, MEMBERS, IDEM)
if ARGV[2] ~= '1' then
  redis.call('DEL', QUEUE, POSITIONS, BATCHES, BATCH_INFO, RESOLVED)
end
for i = 1, #keep, 2 do
  redis.call('HSET', IDEM, keep[i], keep[i + 1])
end
-- the truth's own keys win over what the counters remembered
local function restore_key(h)
  if h.k and h.e then redis.call('HSET', IDEM, h.k, cjson.encode({ h = h.h, m = h.m, q = h.q, e = h.e })) end
end
for _, h in ipairs(state.holds) do restore_key(h) end
for _, s in ipairs(state.sold) do restore_key(s) end

local held = 0
for _, h in ipairs(state.holds) do
  local quantity = tonumber(h.q)
  redis.call('HSET', HOLDS, h.h, h.q .. ':' .. h.m)
  redis.call('ZADD', LEASES, h.e, h.h)
  add_to_member(h.m, quantity)
  held = held + quantity
end
local sold = 0
for member, units in pairs(state.soldByMember) do
  local quantity = tonumber(units)
  if quantity > 0 then add_to_member(member, quantity) end
  sold = sold + quantity
end
for _, s in ipairs(state.sold) do
  redis.call('HSET', SOLD, s.h, s.q .. ':' .. s.m)
end
redis.call('HSET', META, 'available', state.available, 'held', int(held), 'sold', int(sold))
return 'OK'
