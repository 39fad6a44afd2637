import type { DatasetName } from '../config/env.js';

/**
 * How one ENTSO-E data item maps onto EnergyLive's canonical layout.
 *
 * The canonical layout is one tab-separated file per dataset and month, LF line endings, a header row,
 * `\N` for "no value", times in UTC as `YYYY-MM-DD HH:MM:SS`. It is what the parser stores and the
 * importer loads; every source layout (official r2, course snapshots, r3) is rewritten into it.
 */
export interface DatasetSpec {
  name: DatasetName;
  title: string;
  /** Header of the legacy (r2) files, in file order. */
  legacyHeader: readonly string[];
  /** Header of the File Library (r3) files, in file order. */
  r3Header: readonly string[];
  /** Canonical columns, in order. */
  columns: readonly CanonicalColumn[];
  /** Canonical columns that identify one value (with `ts`): the natural key. */
  seriesKey: readonly string[];
  /** Canonical columns holding measured MW values. */
  valueColumns: readonly string[];
  /** Canonical columns that describe an area but are not part of its key (names, EIC codes). */
  labelColumns: readonly string[];
}

export type ColumnKind =
  | 'datetime'
  | 'resolution'
  | 'areaType'
  | 'mapCode'
  | 'areaCode'
  | 'label'
  | 'productionType'
  | 'value'
  | 'updated';

export interface CanonicalColumn {
  name: string;
  kind: ColumnKind;
  /** The legacy (r2) and r3 header names this column is read from. */
  legacy: string;
  r3: string;
  clickhouseType: string;
}

const ts: CanonicalColumn = {
  name: 'ts',
  kind: 'datetime',
  legacy: 'DateTime',
  r3: 'DateTime(UTC)',
  clickhouseType: "DateTime('UTC')",
};
const resolution: CanonicalColumn = {
  name: 'resolution',
  kind: 'resolution',
  legacy: 'ResolutionCode',
  r3: 'ResolutionCode',
  clickhouseType: 'String',
};
const updated: CanonicalColumn = {
  name: 'updated',
  kind: 'updated',
  legacy: 'UpdateTime',
  r3: 'UpdateTime(UTC)',
  clickhouseType: "DateTime64(3, 'UTC')",
};

function area(prefix: '' | 'out_' | 'in_', legacyPrefix: '' | 'Out' | 'In'): CanonicalColumn[] {
  return [
    {
      name: `${prefix}area_type`,
      kind: 'areaType',
      legacy: `${legacyPrefix}AreaTypeCode`,
      r3: `${legacyPrefix}AreaTypeCode`,
      clickhouseType: 'String',
    },
    {
      name: `${prefix}map_code`,
      kind: 'mapCode',
      legacy: `${legacyPrefix}MapCode`,
      r3: `${legacyPrefix}AreaMapCode`,
      clickhouseType: 'String',
    },
    {
      name: `${prefix}area_code`,
      kind: 'areaCode',
      legacy: `${legacyPrefix}AreaCode`,
      r3: `${legacyPrefix}AreaCode`,
      clickhouseType: 'String',
    },
    {
      name: `${prefix}area_name`,
      kind: 'label',
      legacy: `${legacyPrefix}AreaName`,
      r3: `${legacyPrefix}AreaDisplayName`,
      clickhouseType: 'String',
    },
  ];
}

function value(name: string, legacy: string, r3: string): CanonicalColumn {
  return { name, kind: 'value', legacy, r3, clickhouseType: 'Nullable(Float64)' };
}

export const DATASETS: Record<DatasetName, DatasetSpec> = {
  load: {
    name: 'load',
    title: 'Actual Total Load 6.1.A',
    legacyHeader: [
      'DateTime',
      'ResolutionCode',
      'AreaCode',
      'AreaTypeCode',
      'AreaName',
      'MapCode',
      'TotalLoadValue',
      'UpdateTime',
    ],
    r3Header: [
      'DateTime(UTC)',
      'ResolutionCode',
      'AreaCode',
      'AreaDisplayName',
      'AreaTypeCode',
      'AreaMapCode',
      'TotalLoad[MW]',
      'UpdateTime(UTC)',
    ],
    columns: [ts, resolution, ...area('', ''), value('value', 'TotalLoadValue', 'TotalLoad[MW]'), updated],
    seriesKey: ['area_type', 'map_code', 'resolution'],
    valueColumns: ['value'],
    labelColumns: ['area_code', 'area_name'],
  },
  generation: {
    name: 'generation',
    title: 'Aggregated Generation per Production Type 16.1.B/C',
    legacyHeader: [
      'DateTime',
      'ResolutionCode',
      'AreaCode',
      'AreaTypeCode',
      'AreaName',
      'MapCode',
      'ProductionType',
      'ActualGenerationOutput',
      'ActualConsumption',
      'UpdateTime',
    ],
    r3Header: [
      'DateTime(UTC)',
      'ResolutionCode',
      'AreaCode',
      'AreaDisplayName',
      'AreaTypeCode',
      'AreaMapCode',
      'ProductionType',
      'ActualGenerationOutput[MW]',
      'ActualConsumption[MW]',
      'UpdateTime(UTC)',
    ],
    columns: [
      ts,
      resolution,
      ...area('', ''),
      {
        name: 'production_type',
        kind: 'productionType',
        legacy: 'ProductionType',
        r3: 'ProductionType',
        clickhouseType: 'String',
      },
      value('value', 'ActualGenerationOutput', 'ActualGenerationOutput[MW]'),
      value('consumption', 'ActualConsumption', 'ActualConsumption[MW]'),
      updated,
    ],
    seriesKey: ['area_type', 'map_code', 'production_type', 'resolution'],
    valueColumns: ['value', 'consumption'],
    labelColumns: ['area_code', 'area_name'],
  },
  flows: {
    name: 'flows',
    title: 'Cross-Border Physical Flows 12.1.G',
    legacyHeader: [
      'DateTime',
      'ResolutionCode',
      'OutAreaCode',
      'OutAreaTypeCode',
      'OutAreaName',
      'OutMapCode',
      'InAreaCode',
      'InAreaTypeCode',
      'InAreaName',
      'InMapCode',
      'FlowValue',
      'UpdateTime',
    ],
    r3Header: [
      'DateTime(UTC)',
      'ResolutionCode',
      'OutAreaCode',
      'OutAreaDisplayName',
      'OutAreaTypeCode',
      'OutAreaMapCode',
      'InAreaCode',
      'InAreaDisplayName',
      'InAreaTypeCode',
      'InAreaMapCode',
      'Flow[MW]',
      'UpdateTime(UTC)',
    ],
    columns: [
      ts,
      resolution,
      ...area('out_', 'Out'),
      ...area('in_', 'In'),
      value('value', 'FlowValue', 'Flow[MW]'),
      updated,
    ],
    seriesKey: ['out_area_type', 'out_map_code', 'in_area_type', 'in_map_code', 'resolution'],
    valueColumns: ['value'],
    labelColumns: ['out_area_code', 'out_area_name', 'in_area_code', 'in_area_name'],
  },
};

export function canonicalHeader(spec: DatasetSpec): string {
  return spec.columns.map((c) => c.name).join('\t');
}

/** ClickHouse `structure` string of the canonical file, for `file()` and `input()`. */
export function canonicalStructure(spec: DatasetSpec): string {
  return spec.columns.map((c) => `${c.name} ${c.clickhouseType}`).join(', ');
}
