import type { DatasetName } from '../config/env.js';
import { DATASETS } from '../entsoe/datasets.js';
import { AREAS, BORDERS, QUARTERS_PER_INTERVAL, type Area, type Part, type Resolution } from './catalog.js';
import { textId } from './random.js';
import type { MonthSignals } from './signals.js';

/**
 * How a generation series fills ActualConsumption:
 * - `none`: empty (most types);
 * - `zero`: `0.00` (every type of a country that reports consumption for all types);
 * - `both`: pumped storage with generation and pumping in their own columns;
 * - `either`: pumped storage that fills only the larger of the two and leaves the other empty.
 */
export type ConsumptionColumn = 'none' | 'zero' | 'both' | 'either';

export interface WeightedTable {
  table: Float64Array;
  weight: number;
}

/** One series of a dataset: the rows of one area (or border, or area and production type). */
export interface Series {
  /** Stable id from the series' text; keys its publication delays and revisions. */
  id: number;
  /** The columns between DateTime and the first value, in file order, with a tab before and after. */
  descriptor: string;
  /** Interval length in quarter-hours. */
  quarters: 1 | 2 | 4;
  /** Null for datasets without an ActualConsumption column. */
  consumption: ConsumptionColumn | null;
  /** Tables whose weighted sum is the value (the generation output, for generation). */
  value(signals: MonthSignals): readonly WeightedTable[];
  /** Tables whose weighted sum is ActualConsumption; empty unless `consumption` is `both` or `either`. */
  consumed(signals: MonthSignals): readonly WeightedTable[];
}

const PUMPED_STORAGE = 'Hydro Pumped Storage';

/** Lays the descriptor columns out in the order of the dataset's legacy header, which follow DateTime. */
function descriptor(dataset: DatasetName, fields: Readonly<Record<string, string>>): string {
  const columns = DATASETS[dataset].legacyHeader.slice(1, 1 + Object.keys(fields).length);
  return '\t' + columns.map((name) => fieldOf(fields, name)).join('\t') + '\t';
}

function fieldOf(fields: Readonly<Record<string, string>>, name: string): string {
  const value = fields[name];
  if (value === undefined) throw new Error(`demo series: no value for column ${name}`);
  return value;
}

function areaFields(area: Area, prefix: '' | 'Out' | 'In'): Record<string, string> {
  return {
    [`${prefix}AreaCode`]: area.code,
    [`${prefix}AreaTypeCode`]: area.type,
    [`${prefix}AreaName`]: area.name,
    [`${prefix}MapCode`]: area.mapCode,
  };
}

function series(
  dataset: DatasetName,
  resolution: Resolution,
  fields: Record<string, string>,
  consumption: ConsumptionColumn | null,
  value: Series['value'],
  consumed: Series['consumed'] = () => [],
): Series {
  const text = descriptor(dataset, { ResolutionCode: resolution, ...fields });
  return {
    id: textId(dataset + text),
    descriptor: text,
    quarters: QUARTERS_PER_INTERVAL[resolution],
    consumption,
    value,
    consumed,
  };
}

function weighted(parts: readonly Part[], table: (part: Part) => Float64Array): WeightedTable[] {
  return parts.map((part) => ({ table: table(part), weight: part.weight }));
}

function loadSeries(): Series[] {
  return AREAS.flatMap((area) => {
    const load = area.load;
    if (!load) return [];
    return [
      series('load', load.resolution, areaFields(area, ''), null, (signals) =>
        weighted(load.parts, (p) => signals.load(p.country)),
      ),
    ];
  });
}

function generationSeries(): Series[] {
  return AREAS.flatMap((area) => {
    const generation = area.generation;
    if (!generation) return [];
    return generation.types.map(({ productionType, parts }) => {
      const storage = productionType === PUMPED_STORAGE;
      const style = area.country.consumption;
      const consumption: ConsumptionColumn = storage
        ? style === 'either'
          ? 'either'
          : 'both'
        : style === 'all'
          ? 'zero'
          : 'none';
      return series(
        'generation',
        generation.resolution,
        { ...areaFields(area, ''), ProductionType: productionType },
        consumption,
        (signals) => weighted(parts, (p) => signals.output(p.country, productionType)),
        storage ? (signals) => weighted(parts, (p) => signals.pumping(p.country)) : undefined,
      );
    });
  });
}

function flowSeries(): Series[] {
  return BORDERS.map((border) =>
    series(
      'flows',
      border.resolution,
      { ...areaFields(border.out, 'Out'), ...areaFields(border.in, 'In') },
      null,
      (signals) => [{ table: signals.flow(border.link, border.direction), weight: border.weight }],
    ),
  );
}

const BUILDERS: Record<DatasetName, () => Series[]> = {
  load: loadSeries,
  generation: generationSeries,
  flows: flowSeries,
};

const built = new Map<DatasetName, readonly Series[]>();

/** The series of a dataset, in file order. */
export function seriesOf(dataset: DatasetName): readonly Series[] {
  let list = built.get(dataset);
  if (!list) {
    list = BUILDERS[dataset]();
    built.set(dataset, list);
  }
  return list;
}
