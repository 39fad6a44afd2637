import type { Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';
import { countryShapes, type CountryShape } from './country-shapes';

let loading: Promise<CountryShape[]> | null = null;

/**
 * Natural Earth's 1:50m countries, fetched as a content-hashed asset the first time a map needs them, so
 * the JavaScript stays small and the browser caches the shapes for good; every later map reuses them.
 */
export function loadCountryShapes(): Promise<CountryShape[]> {
  loading ??= fetch(countriesUrl)
    .then(async (response) => {
      if (!response.ok) throw new Error(`country shapes: HTTP ${response.status}`);
      return countryShapes((await response.json()) as Topology);
    })
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}
