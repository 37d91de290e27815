-- One change to one cart (KEYS[1] = <prefix>{cart:<id>}, a hash: d = the cart as JSON, v = its version,
-- f = the version PostgreSQL holds). The twin of applyCartChange in cart-changes.ts: same rules, same order.
-- ARGV: kind, nowIso, nowMs, ttlMs, maxQuantity, maxLines, then by kind:
--   add: ownerId itemId variantId quantity currency | set: ownerId itemId quantity | remove: ownerId itemId
--   checkout, reopen: orderId
-- Answers {'OK', cartJson, version, changed} or {code}.
local raw = redis.call('HGET', KEYS[1], 'd')
if not raw then return {'NOT_LOADED'} end
local cart = cjson.decode(raw)
local kind, nowIso, nowMs, ttlMs = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local maxQuantity, maxLines = tonumber(ARGV[5]), tonumber(ARGV[6])
local version = redis.call('HGET', KEYS[1], 'v')
-- an empty array comes back from cjson as an empty object; either way there are no lines
local items = cart.items
if type(items) ~= 'table' then items = {} end

local function unchanged() return {'OK', raw, version, '0'} end
local function save()
  cart.items = items
  cart.updatedAt = nowIso
  -- at least one more, and at least the time in microseconds: versions keep rising after Redis was rebuilt from an older row
  local nextVersion = math.max(tonumber(version) + 1, math.floor(nowMs) * 1000)
  local encoded = cjson.encode(cart)
  local v = string.format('%.0f', nextVersion)
  redis.call('HSET', KEYS[1], 'd', encoded, 'v', v)
  redis.call('PEXPIRE', KEYS[1], ttlMs)
  return {'OK', encoded, v, '1'}
end

if kind == 'checkout' then
  if cart.status == 'checked_out' then
    if cart.orderId == ARGV[7] then return unchanged() end
    return {'CART_CHECKED_OUT'}
  end
  cart.status = 'checked_out'
  cart.orderId = ARGV[7]
  return save()
end
if kind == 'reopen' then
  if cart.status ~= 'checked_out' or cart.orderId ~= ARGV[7] then return unchanged() end
  cart.status = 'open'
  cart.orderId = cjson.null
  return save()
end

if cart.ownerId ~= ARGV[7] then return {'CART_NOT_FOUND'} end
if cart.status ~= 'open' then return {'CART_CHECKED_OUT'} end

if kind == 'add' then
  local variantId, quantity, currency = ARGV[9], tonumber(ARGV[10]), ARGV[11]
  local hasCurrency = cart.currency ~= nil and cart.currency ~= cjson.null
  if hasCurrency and cart.currency ~= currency then return {'CURRENCY_MISMATCH'} end
  for _, item in ipairs(items) do
    if item.variantId == variantId then
      if item.quantity + quantity > maxQuantity then return {'QUANTITY_LIMIT'} end
      item.quantity = item.quantity + quantity
      if not hasCurrency then cart.currency = currency end
      return save()
    end
  end
  if quantity > maxQuantity then return {'QUANTITY_LIMIT'} end
  if #items >= maxLines then return {'LINE_LIMIT'} end
  items[#items + 1] = {id = ARGV[8], variantId = variantId, quantity = quantity, addedAt = nowIso}
  if not hasCurrency then cart.currency = currency end
  return save()
end

local itemId = ARGV[8]
if kind == 'set' then
  local quantity = tonumber(ARGV[9])
  if quantity < 1 or quantity > maxQuantity then return {'QUANTITY_LIMIT'} end
  for _, item in ipairs(items) do
    if item.id == itemId then
      item.quantity = quantity
      return save()
    end
  end
  return {'ITEM_NOT_FOUND'}
end
if kind == 'remove' then
  for i, item in ipairs(items) do
    if item.id == itemId then
      table.remove(items, i)
      return save()
    end
  end
  return {'ITEM_NOT_FOUND'}
end
return redis.error_reply('unknown cart change ' .. tostring(kind))
