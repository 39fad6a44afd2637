import { textId, uniform } from '../../lib/demo/random.js';

/**
 * Reproducible draws for generated tests: the n-th draw of a stream is a hash of (seed, stream, n), so
 * the same seed gives the same cases on every machine and in every run.
 */
export class SeededRandom {
  private n = 0;
  private readonly stream: number;

  constructor(
    readonly seed: number,
    stream: string,
  ) {
    this.stream = textId(stream);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniform(this.seed, this.stream, this.n++, 0);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('nothing to pick from');
    return items[this.int(items.length)] as T;
  }

  /** Picks by weight: `{ a: 3, b: 1 }` gives `a` three times as often as `b`. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let left = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) {
      left -= w;
      if (left < 0) return key;
    }
    return (entries[entries.length - 1] as [K, number])[0];
  }
}
