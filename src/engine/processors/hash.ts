/**
 * Two 32-bit hashes of a string at once (cyrb53's lanes: multiply-xor over UTF-16 units with two
 * odd constants, then cross-mixed): fast, well spread, the same on every worker. Not for secrets.
 */
export function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

/** Keys longer than this are remembered by their hash. */
export const COMPACT_KEY_LENGTH = 64;

/**
 * A key of bounded size for processors that remember many keys (dedupe, throttle): short keys
 * as they are, longer ones as their length and 64 bits of hash. Two different long keys are
 * taken for one with a chance of about 2^-64 per pair.
 */
export function compactKey(key: string): string {
  if (key.length <= COMPACT_KEY_LENGTH && key.charCodeAt(0) !== 2) return key;
  const [h1, h2] = hash64(key);
  // Short keys never start with \u0002 (those are hashed too), so the two kinds cannot meet.
  return `\u0002${key.length.toString(36)}:${h1.toString(36)}:${h2.toString(36)}`;
}
