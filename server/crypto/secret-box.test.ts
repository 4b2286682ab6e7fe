// The secret box round-trips, never repeats an IV, and refuses tampered bytes, a wrong key, a wrong
// context and an unknown version instead of returning garbage.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from './secret-box.js';

const key = Buffer.alloc(32, 3);

describe('SecretBox', () => {
  it('opens what it sealed, including non-ASCII text', () => {
    const box = new SecretBox(key);
    expect(box.open(box.seal('refresh-token-Ünïcode ✓', 'ctx'), 'ctx')).toBe('refresh-token-Ünïcode ✓');
  });

  it('uses a fresh IV per message, so equal secrets seal differently', () => {
    const box = new SecretBox(key);
    const first = box.seal('same');
    const second = box.seal('same');
    expect(first[0]).toBe(1);
    expect(first.subarray(1, 13).equals(second.subarray(1, 13))).toBe(false);
    expect(first.equals(second)).toBe(false);
    expect(first.includes(Buffer.from('same'))).toBe(false);
  });

  it.each([
    ['a flipped ciphertext byte', (b: Buffer) => (b[b.length - 1]! ^= 0x01)],
    ['a flipped tag byte', (b: Buffer) => (b[14]! ^= 0x80)],
    ['a flipped IV byte', (b: Buffer) => (b[2]! ^= 0x01)],
  ])('refuses %s', (_name, tamper) => {
    const box = new SecretBox(key);
    const sealed = box.seal('secret value');
    tamper(sealed);
    expect(() => box.open(sealed)).toThrow(SecretBoxError);
  });

  it('refuses a value sealed under another key', () => {
    const sealed = new SecretBox(randomBytes(32)).seal('secret value');
    expect(() => new SecretBox(key).open(sealed)).toThrow(/failed authentication/);
  });

  it('refuses a value opened under another context', () => {
    const box = new SecretBox(key);
    expect(() => box.open(box.seal('token', 'spotify:refresh:alice'), 'spotify:refresh:bob')).toThrow(SecretBoxError);
  });

  it('refuses an unknown version and a truncated value', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('token');
    sealed[0] = 2;
    expect(() => box.open(sealed)).toThrow(/unknown version 2/);
    expect(() => box.open(sealed.subarray(0, 20))).toThrow(/too short/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32-byte key/);
  });
});
