/**
 * Small, fast, seeded PRNG (mulberry32): the same seed gives the same stream on
 * every platform, which is what makes initialisation and shuffling reproducible.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derive an independent stream seed from a seed and a tag (e.g. epoch number). */
export function deriveSeed(seed: number, tag: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (tag + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fisher–Yates permutation of 0..n-1 from a seeded stream. */
export function permutation(n: number, seed: number): Uint32Array {
  const rand = mulberry32(seed);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * MT19937, the generator behind torch.manual_seed on the CPU: the same seed gives the same
 * 32-bit stream as PyTorch's default CPU generator.
 */
export class Mt19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** The next 32-bit output (torch's `generator->random()`). */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      let v = mt[(i + 397) % 624] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }
}

/**
 * torch's `tensor.uniform_(from, to)` for float32 on the CPU (PyTorch 1.13, serial kernel):
 * 24 random bits from one 32-bit draw, then `x * (to - from) + from` in float32 (fused multiply-add).
 */
export function torchUniformFloat32(gen: Mt19937, from: number, to: number, out: Float32Array): void {
  const f = Math.fround;
  const divisor = 1 / (1 << 24);
  const lo = f(from);
  const range = f(f(to) - lo);
  for (let i = 0; i < out.length; i++) {
    const x = (gen.nextUint32() & 0xffffff) * divisor; // exact in float32
    // x * range is exact in double (24 × 24 bits); one rounding of the sum = the fused
    // multiply-add torch's vectorised CPU build compiles this to.
    out[i] = f(x * range + lo);
  }
}
