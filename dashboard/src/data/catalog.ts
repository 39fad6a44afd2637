import { api } from '../api/client';
import type { AreaSummary, DatasetName, Freshness, Snapshot } from '../api/types';
import { useResource } from './use-resource';

/** Areas with data in a dataset, for the picker and for coverage of the "all" range. */
export function useAreas(dataset: DatasetName) {
  return useResource(`areas:${dataset}`, (signal) =>
    api.get<{ areas: AreaSummary[] }>('/areas', { dataset }, signal).then((r) => r.areas),
  );
}

export function useProductionTypes(area: string) {
  return useResource(`types:${area}`, (signal) =>
    api.get<{ types: string[] }>('/types', { area }, signal).then((r) => r.types),
  );
}

/** Neighbours an area has flow data with, each once whatever the direction. */
export function useNeighbours(area: string) {
  return useResource(`borders:${area}`, (signal) =>
    api
      .get<{ borders: { out: string; in: string }[] }>('/borders', { area }, signal)
      .then((r) => [...new Set(r.borders.map((b) => (b.out === area ? b.in : b.out)))].sort()),
  );
}

export function useSnapshot(refresh: number) {
  return useResource(`snapshot:${refresh}`, (signal) => api.get<Snapshot>('/snapshot', {}, signal));
}

export function useFreshness(dataset: DatasetName, refresh: number) {
  return useResource(`freshness:${dataset}:${refresh}`, (signal) =>
    api.get<Freshness>('/freshness', { dataset }, signal),
  );
}
