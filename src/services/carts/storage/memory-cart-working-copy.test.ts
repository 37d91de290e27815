import { describe, expect, it } from 'vitest';
import type { CartRecord } from './cart-store.js';
import { createMemoryCartWorkingCopy } from './memory-cart-working-copy.js';

const cart = (id: string): CartRecord => ({ id, ownerId: `owner-${id}`, status: 'open', orderId: null, currency: null, createdAt: new Date(0), updatedAt: new Date(0), items: [] });

describe('the all-in-one carts working copy in memory (bounded by CARTS_MEMORY_MAX_CARTS)', () => {
  it('when more carts than the bound are loaded, then the least recently used written ones leave and the rest stay', async () => {
    const copy = createMemoryCartWorkingCopy({ maxCarts: 3 });
    for (const id of ['a', 'b', 'c']) await copy.populate(cart(id), 1);
    await copy.read('a'); // a is now the most recently used: b is the oldest
    await copy.populate(cart('d'), 1);
    await copy.populate(cart('e'), 1);
    expect(await copy.read('b')).toBeNull();
    expect(await copy.read('c')).toBeNull();
    for (const id of ['a', 'd', 'e']) expect((await copy.read(id))?.cart.id).toBe(id);
  });

  it('when a cart holds a change not yet written, then it stays past the bound until its write is done', async () => {
    const copy = createMemoryCartWorkingCopy({ maxCarts: 2 });
    await copy.populate(cart('dirty'), 1);
    const changed = await copy.apply('dirty', { kind: 'add', ownerId: 'owner-dirty', itemId: 'i1', variantId: 'v1', quantity: 1, currency: 'EUR' }, new Date(1_000), 0);
    expect(changed.ok).toBe(true);
    const version = changed.ok ? changed.version : 0;
    for (const id of ['x', 'y', 'z']) await copy.populate(cart(id), 1);
    // the only copy of an unwritten change is never dropped
    expect((await copy.read('dirty'))?.cart.items).toHaveLength(1);
    const [due] = await copy.claimDue(Number.MAX_SAFE_INTEGER, 10, 0);
    expect(due?.cartId).toBe('dirty');
    await copy.markFlushed([{ cartId: 'dirty', version }]);
    // written now, it is an ordinary cart: two newer ones push it out
    await copy.populate(cart('w'), 1);
    await copy.populate(cart('v'), 1);
    expect(await copy.read('dirty')).toBeNull();
  });
});
