if not loaded() then return false end
return {
  redis.call('HGET', META, 'available'), redis.call('HGET', META, 'held'), redis.call('HGET', META, 'sold'),
  int(num(QUEUE, 'length')), int(num(QUEUE, 'frontier')), int(num(QUEUE, 'unresolved')),
}
