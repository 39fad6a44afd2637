import type { DatasetName } from '../../lib/config/env.js';

/**
 * What the query actor knows about a dataset as a whole (its areas, freshness, an area's production
 * types, borders and area type): each reads the whole table, so it is computed once, on first use, and
 * kept until an "import done" event of the dataset says the data changed. Only while those events are
 * followed: without them nothing is kept, and every call computes afresh.
 */
export class CatalogCache {
  private readonly datasets = new Map<DatasetName, Map<string, Promise<unknown>>>();
  private following = false;

  /** Whether "import done" events reach `invalidate`; stopping to follow them forgets everything. */
  follow(on: boolean): void {
    this.following = on;
    if (!on) this.datasets.clear();
  }

  get<T>(dataset: DatasetName, key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.following) return compute();
    let entries = this.datasets.get(dataset);
    if (!entries) this.datasets.set(dataset, (entries = new Map<string, Promise<unknown>>()));
    const hit = entries.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const computed = compute();
    const kept = entries;
    kept.set(key, computed);
    // A failure is not kept: the next call tries again.
    computed.catch(() => {
      if (kept.get(key) === computed) kept.delete(key);
    });
    return computed;
  }

  /**
   * The dataset's data changed. Its entries go, including computations still running, which may have
   * read the data before the change: their callers get them, later calls compute afresh.
   */
  invalidate(dataset: DatasetName): void {
    this.datasets.delete(dataset);
  }
}
