import { describe, expect, it } from 'vitest';
import { clientAddressKey } from './client-address.js';

describe('client address keys', () => {
  it('when the client is IPv4 (or IPv4-mapped IPv6), then it counts as its IPv4 address', () => {
    expect(clientAddressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(clientAddressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });

  it('when the client is IPv6, then every address of its /64 counts as one, however it is written', () => {
    const key = clientAddressKey('2001:db8:0:7::1');
    expect(key).toBe('2001:db8:0:7::/64');
    for (const other of ['2001:0db8:0000:0007:ffff:1:2:3', '2001:db8:0:7:0:0:0:9', '2001:DB8:0:7::abcd']) {
      expect(clientAddressKey(other), other).toBe(key);
    }
    expect(clientAddressKey('2001:db8:0:8::1')).not.toBe(key);
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
  });
});
