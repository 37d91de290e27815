-- Shared head of every counter script (prepended by redis-counter-scripts.ts). Every key of one scope is
-- passed in KEYS and shares the hash tag {sale:<scope>}, so a script touches one hash slot (Redis Cluster).
local META = KEYS[1]        -- hash: available, held, sold; its existence means "loaded"
local HOLDS = KEYS[2]       -- hash: holdId -> "<quantity>:<member>" (live holds)
local LEASES = KEYS[3]      -- zset: holdId scored by lease end (ms)
local SOLD = KEYS[4]        -- hash: holdId -> "<quantity>:<member>" (sold holds, for unsell)
local MEMBERS = KEYS[5]     -- hash: member -> units held + sold
local IDEM = KEYS[6]        -- hash: idempotency key -> json {h, m, q, e} of the first answer
local QUEUE = KEYS[7]       -- hash: length, frontier, lastAdmitMs, carry, unresolved
local POSITIONS = KEYS[8]   -- hash: member -> position
local BATCHES = KEYS[9]     -- zset: last position of each admit batch, scored by it
local BATCH_INFO = KEYS[10] -- hash: batch last position -> "<first position>:<admitted at ms>:<resolved>"
local RESOLVED = KEYS[11]   -- set: members whose admission a take resolved

local function loaded()
  return redis.call('EXISTS', META) == 1
end

local function num(key, field)
  return tonumber(redis.call('HGET', key, field) or '0')
end

-- "<quantity>:<member>" -> quantity, member (a member may itself hold ':')
local function split_hold(value)
  local colon = string.find(value, ':', 1, true)
  return tonumber(string.sub(value, 1, colon - 1)), string.sub(value, colon + 1)
end

local function add_to_member(member, delta)
  if redis.call('HINCRBY', MEMBERS, member, delta) <= 0 then
    redis.call('HDEL', MEMBERS, member)
  end
end

local function parse_batch(value)
  local a = string.find(value, ':', 1, true)
  local b = string.find(value, ':', a + 1, true)
  return tonumber(string.sub(value, 1, a - 1)), tonumber(string.sub(value, a + 1, b - 1)), tonumber(string.sub(value, b + 1))
end

-- integers as plain digits: Lua's tostring switches to exponents past 14 digits
local function int(n)
  return string.format('%d', n)
end
