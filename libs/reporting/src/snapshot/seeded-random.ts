/**
 * Mulberry32, a small seeded 32-bit generator (Tommy Ettinger, public domain; see
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). Plenty for noise.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
