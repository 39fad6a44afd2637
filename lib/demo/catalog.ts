import { PRODUCTION_TYPES } from '../entsoe/codes.js';

/**
 * The demo's Europe: countries, their bidding zones (BZN) and control areas (CTA), the series each area
 * publishes and the borders flows cross.
 *
 * Codes, names and resolutions follow the real legacy files of January 2022 (EIC codes as published;
 * `UK CTY` for GB; AT's BZN load hourly while its CTY and CTA are quarter-hourly). It is sized like
 * them too: about 205 load, 1,800 generation and 700 flow rows per hour across all area types.
 *
 * Every BZN and CTA value is derived from the values of the countries it covers, so a zone that is the
 * whole country repeats the country's value and split zones add up to it.
 */

export type AreaType = 'CTY' | 'BZN' | 'CTA';
export type Resolution = 'PT15M' | 'PT30M' | 'PT60M';

export const QUARTERS_PER_INTERVAL: Readonly<Record<Resolution, 1 | 2 | 4>> = {
  PT15M: 1,
  PT30M: 2,
  PT60M: 4,
};

/**
 * How a country fills ActualConsumption, as seen in the real files:
 * - `storage`: only pumped storage reports it, with both columns filled; other types leave it empty (DE, IT);
 * - `either`: pumped storage fills generation or pumping and leaves the other column empty (FR, ES, BE);
 * - `all`: every type fills it, `0.00` except pumped storage (AT, NL, IE, PT).
 */
export type ConsumptionStyle = 'storage' | 'either' | 'all';

export interface Country {
  mapCode: string;
  /** Typical demand in MW. It also sizes the country's interconnectors. */
  demand: number;
  /** The load shape follows local time: standard UTC offset in hours; every demo country keeps EU summer time. */
  utcOffset: number;
  /** Where the sun is: solar output follows the solar elevation at this point. */
  latitude: number;
  longitude: number;
  /** Production type → MW: average output, or installed capacity for Solar, wind and pumped storage. */
  generation: ReadonlyMap<string, number>;
  consumption: ConsumptionStyle;
}

/** A share of one country's modelled value; an area's value is the sum of its parts. */
export interface Part {
  country: Country;
  weight: number;
}

export interface Area {
  mapCode: string;
  type: AreaType;
  /** EIC code; the same code may serve several area types (AT uses one for CTY, BZN and CTA). */
  code: string;
  /** Legacy AreaName, e.g. `DE(TenneT DE) CTA`. */
  name: string;
  /** The country whose borders this area's borders belong to. */
  country: Country;
  load: { resolution: Resolution; parts: readonly Part[] } | null;
  generation: {
    resolution: Resolution;
    types: readonly { productionType: string; parts: readonly Part[] }[];
  } | null;
}

/** An undirected interconnection whose exchange drives the flows over it in both directions. */
export interface Link {
  /** `A/B` with the MapCodes of the two sides; a positive exchange runs from A to B. */
  key: string;
  /** Typical exchange in MW. */
  scale: number;
}

/** One directed flow series, from `out` into `in`; both sides have the same area type. */
export interface Border {
  type: AreaType;
  out: Area;
  in: Area;
  resolution: Resolution;
  link: Link;
  /** +1 if this flow runs in the link's positive direction (from its first side to its second). */
  direction: 1 | -1;
  /** Share of the link's exchange this border carries (a CTY border split over several zone borders). */
  weight: number;
}

interface SubAreaSpec {
  map: string;
  eic: string;
  name: string;
  /** Share of the country's load and of each production type it has; defaults to 1. */
  share?: number;
  /** Production types of the country this area does not have. */
  without?: readonly string[];
  /** Further countries the area covers entirely (DE_LU covers LU). */
  covers?: readonly string[];
  loadResolution?: Resolution;
}

interface CountrySpec {
  map: string;
  eic: string;
  name?: string;
  demand: number;
  utc: number;
  lat: number;
  lon: number;
  /** Absent where the country publishes no load (it still has flows). */
  loadResolution?: Resolution;
  gen?: { resolution: Resolution; consumption: ConsumptionStyle; types: Readonly<Record<string, number>> };
  /** Defaults to one area named after the country, with the country's EIC code; `[]` for none. */
  bzn?: readonly SubAreaSpec[];
  cta?: readonly SubAreaSpec[];
}

const COUNTRY_SPECS: readonly CountrySpec[] = [
  { map: 'AL', eic: '10YAL-KESH-----5', demand: 800, utc: 1, lat: 41.1, lon: 20.0, loadResolution: 'PT15M' },
  {
    map: 'AT',
    eic: '10YAT-APG------L',
    demand: 7200,
    utc: 1,
    lat: 47.5,
    lon: 14.5,
    loadResolution: 'PT15M',
    gen: {
      resolution: 'PT15M',
      consumption: 'all',
      types: {
        Biomass: 330,
        'Fossil Gas': 1300,
        'Fossil Hard coal': 0,
        'Fossil Oil': 90,
        Geothermal: 0.3,
        'Hydro Pumped Storage': 3000,
        'Hydro Run-of-river and poundage': 3000,
        'Hydro Water Reservoir': 700,
        Other: 350,
        'Other renewable': 40,
        Solar: 4500,
        Waste: 110,
        'Wind Onshore': 3800,
      },
    },
    bzn: [{ map: 'AT', eic: '10YAT-APG------L', name: 'AT BZN', loadResolution: 'PT60M' }],
  },
  {
    map: 'BA',
    eic: '10YBA-JPCC-----D',
    demand: 1400,
    utc: 1,
    lat: 44.2,
    lon: 17.8,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        'Fossil Brown coal/Lignite': 950,
        'Hydro Pumped Storage': 440,
        'Hydro Run-of-river and poundage': 280,
        'Hydro Water Reservoir': 330,
        'Wind Onshore': 135,
      },
    },
  },
  {
    map: 'BE',
    eic: '10YBE----------2',
    demand: 9500,
    utc: 1,
    lat: 50.6,
    lon: 4.6,
    loadResolution: 'PT15M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        Biomass: 280,
        'Fossil Gas': 2600,
        'Fossil Oil': 10,
        'Hydro Pumped Storage': 1300,
        'Hydro Run-of-river and poundage': 35,
        Nuclear: 3700,
        Other: 650,
        Solar: 8000,
        Waste: 250,
        'Wind Offshore': 2260,
        'Wind Onshore': 3100,
      },
    },
  },
  {
    map: 'BG',
    eic: '10YCA-BULGARIA-R',
    demand: 4300,
    utc: 2,
    lat: 42.7,
    lon: 25.3,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        Biomass: 60,
        'Fossil Brown coal/Lignite': 1900,
        'Fossil Gas': 330,
        'Fossil Hard coal': 60,
        'Hydro Pumped Storage': 1000,
        'Hydro Run-of-river and poundage': 200,
        'Hydro Water Reservoir': 380,
        Nuclear: 2000,
        Solar: 2500,
        Waste: 10,
        'Wind Onshore': 700,
      },
    },
  },
  {
    map: 'CH',
    eic: '10YCH-SWISSGRIDZ',
    demand: 6800,
    utc: 1,
    lat: 46.8,
    lon: 8.2,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        'Hydro Pumped Storage': 3500,
        'Hydro Run-of-river and poundage': 1900,
        'Hydro Water Reservoir': 2000,
        Nuclear: 2600,
        Solar: 5000,
        'Wind Onshore': 90,
      },
    },
  },
  {
    map: 'CY',
    eic: '10YCY-1001A0003J',
    demand: 560,
    utc: 2,
    lat: 35.0,
    lon: 33.2,
    loadResolution: 'PT30M',
    gen: { resolution: 'PT30M', consumption: 'storage', types: { 'Fossil Oil': 520, 'Wind Onshore': 160 } },
  },
  {
    map: 'CZ',
    eic: '10YCZ-CEPS-----N',
    demand: 7200,
    utc: 1,
    lat: 49.8,
    lon: 15.5,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        Biomass: 320,
        'Fossil Brown coal/Lignite': 3000,
        'Fossil Coal-derived gas': 60,
        'Fossil Gas': 450,
        'Fossil Hard coal': 250,
        'Fossil Oil': 10,
        'Hydro Pumped Storage': 1170,
        'Hydro Run-of-river and poundage': 110,
        'Hydro Water Reservoir': 160,
        Nuclear: 3400,
        Other: 260,
        'Other renewable': 50,
        Solar: 3000,
        Waste: 30,
        'Wind Onshore': 340,
      },
    },
  },
  {
    map: 'DE',
    eic: '10Y1001A1001A83F',
    demand: 55000,
    utc: 1,
    lat: 51.1,
    lon: 10.4,
    loadResolution: 'PT15M',
    gen: {
      resolution: 'PT15M',
      consumption: 'storage',
      types: {
        Biomass: 4400,
        'Fossil Brown coal/Lignite': 9500,
        'Fossil Gas': 5800,
        'Fossil Hard coal': 4200,
        'Fossil Oil': 350,
        Geothermal: 25,
        'Hydro Pumped Storage': 6500,
        'Hydro Run-of-river and poundage': 1600,
        'Hydro Water Reservoir': 120,
        Other: 800,
        'Other renewable': 140,
        Solar: 90000,
        Waste: 700,
        'Wind Offshore': 9000,
        'Wind Onshore': 63000,
      },
    },
    bzn: [{ map: 'DE_LU', eic: '10Y1001A1001A82H', name: 'DE-LU BZN', covers: ['LU'] }],
    cta: [
      {
        map: 'DE_50HzT',
        eic: '10YDE-VE-------2',
        name: 'DE(50Hertz) CTA',
        share: 0.2,
        without: ['Hydro Water Reservoir'],
      },
      {
        map: 'DE_Amprion',
        eic: '10YDE-RWENET---I',
        name: 'DE(Amprion) CTA',
        share: 0.33,
        without: ['Wind Offshore'],
      },
      { map: 'DE_TenneT_GER', eic: '10YDE-EON------1', name: 'DE(TenneT DE) CTA', share: 0.32 },
      {
        map: 'DE_TransnetBW',
        eic: '10YDE-ENBW-----N',
        name: 'DE(TransnetBW) CTA',
        share: 0.15,
        without: ['Fossil Brown coal/Lignite', 'Geothermal', 'Wind Offshore'],
      },
    ],
  },
  {
    map: 'DK',
    eic: '10Y1001A1001A65H',
    demand: 4000,
    utc: 1,
    lat: 56.0,
    lon: 10.0,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        Biomass: 650,
        'Fossil Gas': 150,
        'Fossil Hard coal': 350,
        'Fossil Oil': 20,
        Solar: 3500,
        Waste: 200,
        'Wind Offshore': 2700,
        'Wind Onshore': 4800,
      },
    },
    bzn: [
      { map: 'DK1', eic: '10YDK-1--------W', name: 'DK1 BZN', share: 0.6 },
      { map: 'DK2', eic: '10YDK-2--------M', name: 'DK2 BZN', share: 0.4 },
    ],
    cta: [{ map: 'DK', eic: '10Y1001A1001A796', name: 'DK CTA' }],
  },
  {
    map: 'EE',
    eic: '10Y1001A1001A39I',
    demand: 950,
    utc: 2,
    lat: 58.7,
    lon: 25.0,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        Biomass: 160,
        'Fossil Coal-derived gas': 20,
        'Fossil Gas': 15,
        'Fossil Oil shale': 550,
        'Fossil Peat': 10,
        'Hydro Run-of-river and poundage': 3,
        Other: 20,
        'Other renewable': 5,
        Solar: 600,
        Waste: 15,
        'Wind Onshore': 400,
      },
    },
  },
  {
    map: 'ES',
    eic: '10YES-REE------0',
    demand: 28000,
    utc: 1,
    lat: 40.2,
    lon: -3.7,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        Biomass: 450,
        'Fossil Brown coal/Lignite': 0,
        'Fossil Coal-derived gas': 0,
        'Fossil Gas': 6500,
        'Fossil Hard coal': 500,
        'Fossil Oil': 260,
        'Fossil Oil shale': 0,
        'Fossil Peat': 0,
        Geothermal: 0,
        'Hydro Pumped Storage': 3300,
        'Hydro Run-of-river and poundage': 900,
        'Hydro Water Reservoir': 2600,
        Marine: 0,
        Nuclear: 6200,
        Other: 260,
        'Other renewable': 420,
        Solar: 30000,
        Waste: 250,
        'Wind Offshore': 5,
        'Wind Onshore': 30000,
      },
    },
  },
  {
    map: 'FI',
    eic: '10YFI-1--------U',
    demand: 9300,
    utc: 2,
    lat: 62.5,
    lon: 25.8,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        Biomass: 1100,
        'Fossil Gas': 150,
        'Fossil Hard coal': 300,
        'Fossil Oil': 30,
        'Fossil Peat': 250,
        'Hydro Run-of-river and poundage': 1550,
        Nuclear: 3900,
        Other: 150,
        'Other renewable': 30,
        Waste: 70,
        'Wind Onshore': 7000,
      },
    },
  },
  {
    map: 'FR',
    eic: '10YFR-RTE------C',
    demand: 50000,
    utc: 1,
    lat: 46.6,
    lon: 2.4,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        Biomass: 700,
        'Fossil Gas': 4200,
        'Fossil Hard coal': 100,
        'Fossil Oil': 100,
        'Hydro Pumped Storage': 4000,
        'Hydro Run-of-river and poundage': 4300,
        'Hydro Water Reservoir': 2300,
        Nuclear: 39000,
        Solar: 18000,
        Waste: 250,
        'Wind Onshore': 22000,
      },
    },
  },
  {
    map: 'GB',
    eic: '10Y1001A1001A92E',
    name: 'UK CTY',
    demand: 30000,
    utc: 0,
    lat: 53.5,
    lon: -1.8,
    bzn: [{ map: 'GB', eic: '10YGB----------A', name: 'GB BZN' }],
    cta: [{ map: 'GB', eic: '10YGB----------A', name: 'UK(National Grid) CTA' }],
  },
  {
    map: 'GR',
    eic: '10YGR-HTSO-----Y',
    demand: 5800,
    utc: 2,
    lat: 39.1,
    lon: 22.0,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        'Fossil Brown coal/Lignite': 700,
        'Fossil Gas': 2600,
        'Fossil Oil': 420,
        'Hydro Pumped Storage': 700,
        'Hydro Water Reservoir': 500,
        Solar: 6000,
        'Wind Onshore': 4800,
      },
    },
  },
  {
    map: 'HR',
    eic: '10YHR-HEP------M',
    demand: 2000,
    utc: 1,
    lat: 45.1,
    lon: 15.5,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        Biomass: 60,
        'Fossil Gas': 250,
        'Fossil Hard coal': 150,
        'Fossil Oil': 20,
        Geothermal: 10,
        'Hydro Pumped Storage': 280,
        'Hydro Run-of-river and poundage': 350,
        'Hydro Water Reservoir': 500,
        'Other renewable': 50,
        Solar: 300,
        Waste: 5,
        'Wind Onshore': 1100,
      },
    },
  },
  {
    map: 'HU',
    eic: '10YHU-MAVIR----U',
    demand: 5000,
    utc: 1,
    lat: 47.2,
    lon: 19.4,
    loadResolution: 'PT15M',
    gen: {
      resolution: 'PT15M',
      consumption: 'storage',
      types: {
        Biomass: 250,
        'Fossil Brown coal/Lignite': 300,
        'Fossil Gas': 1000,
        'Fossil Hard coal': 5,
        'Fossil Oil': 5,
        Geothermal: 3,
        'Hydro Run-of-river and poundage': 25,
        'Hydro Water Reservoir': 5,
        Nuclear: 1900,
        Other: 30,
        'Other renewable': 20,
        Solar: 5500,
        Waste: 60,
        'Wind Onshore': 320,
      },
    },
  },
  {
    map: 'IE',
    eic: '10YIE-1001A00010',
    demand: 3600,
    utc: 0,
    lat: 53.2,
    lon: -7.9,
    loadResolution: 'PT30M',
    gen: {
      resolution: 'PT30M',
      consumption: 'all',
      types: {
        'Fossil Gas': 2000,
        'Fossil Hard coal': 250,
        'Fossil Oil': 50,
        'Fossil Peat': 80,
        'Hydro Pumped Storage': 290,
        'Hydro Run-of-river and poundage': 80,
        Other: 100,
        'Wind Onshore': 4600,
      },
    },
    bzn: [{ map: 'IE_SEM', eic: '10Y1001A1001A59C', name: 'IE(SEM) BZN' }],
  },
  {
    map: 'IT',
    eic: '10YIT-GRTN-----B',
    demand: 36000,
    utc: 1,
    lat: 42.8,
    lon: 12.5,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        Biomass: 2000,
        'Fossil Coal-derived gas': 200,
        'Fossil Gas': 16000,
        'Fossil Hard coal': 2000,
        'Fossil Oil': 300,
        Geothermal: 650,
        'Hydro Pumped Storage': 3500,
        'Hydro Run-of-river and poundage': 3500,
        'Hydro Water Reservoir': 1500,
        Other: 1500,
        Solar: 30000,
        Waste: 300,
        'Wind Onshore': 12000,
      },
    },
    bzn: [
      {
        map: 'IT-NORTH',
        eic: '10Y1001A1001A73I',
        name: 'IT-North BZN',
        share: 0.48,
        without: ['Geothermal'],
      },
      {
        map: 'IT-CNORTH',
        eic: '10Y1001A1001A70O',
        name: 'IT-Centre-North BZN',
        share: 0.1,
        without: ['Fossil Coal-derived gas', 'Fossil Hard coal', 'Hydro Pumped Storage', 'Waste'],
      },
      {
        map: 'IT-CSOUTH',
        eic: '10Y1001A1001A71M',
        name: 'IT-Centre-South BZN',
        share: 0.15,
        without: ['Fossil Coal-derived gas', 'Geothermal', 'Waste'],
      },
      {
        map: 'IT-SOUTH',
        eic: '10Y1001A1001A788',
        name: 'IT-South BZN',
        share: 0.08,
        without: ['Geothermal', 'Hydro Pumped Storage', 'Waste'],
      },
      {
        map: 'IT-Calabria',
        eic: '10Y1001C--00096J',
        name: 'IT-Calabria BZN',
        share: 0.04,
        without: [
          'Fossil Coal-derived gas',
          'Fossil Hard coal',
          'Fossil Oil',
          'Geothermal',
          'Hydro Pumped Storage',
          'Hydro Water Reservoir',
        ],
      },
      {
        map: 'IT-Sicily',
        eic: '10Y1001A1001A75E',
        name: 'IT-Sicily BZN',
        share: 0.09,
        without: ['Fossil Hard coal', 'Geothermal', 'Hydro Water Reservoir', 'Waste'],
      },
      {
        map: 'IT-Sardinia',
        eic: '10Y1001A1001A74G',
        name: 'IT-Sardinia BZN',
        share: 0.06,
        without: ['Fossil Gas', 'Geothermal', 'Waste'],
      },
    ],
  },
  {
    map: 'LT',
    eic: '10YLT-1001A0008Q',
    demand: 1400,
    utc: 2,
    lat: 55.3,
    lon: 23.9,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        Biomass: 60,
        'Fossil Gas': 150,
        'Hydro Pumped Storage': 900,
        'Hydro Run-of-river and poundage': 60,
        Other: 30,
        Solar: 900,
        Waste: 30,
        'Wind Onshore': 1200,
      },
    },
  },
  // LU publishes no generation, and its bidding zone is DE_LU.
  {
    map: 'LU',
    eic: '10YLU-CEGEDEL-NQ',
    demand: 750,
    utc: 1,
    lat: 49.8,
    lon: 6.1,
    loadResolution: 'PT15M',
    bzn: [],
  },
  {
    map: 'LV',
    eic: '10YLV-1001A00074',
    demand: 850,
    utc: 2,
    lat: 56.9,
    lon: 24.6,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        Biomass: 60,
        'Fossil Gas': 300,
        'Hydro Run-of-river and poundage': 300,
        Other: 30,
        'Wind Onshore': 140,
      },
    },
  },
  {
    map: 'MD',
    eic: '10Y1001A1001A990',
    demand: 450,
    utc: 2,
    lat: 47.2,
    lon: 28.5,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        Biomass: 3,
        'Fossil Gas': 200,
        'Fossil Hard coal': 5,
        'Fossil Oil': 2,
        'Hydro Run-of-river and poundage': 8,
        Solar: 100,
        'Wind Onshore': 100,
      },
    },
  },
  {
    map: 'ME',
    eic: '10YCS-CG-TSO---S',
    demand: 420,
    utc: 1,
    lat: 42.7,
    lon: 19.3,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        'Fossil Brown coal/Lignite': 180,
        'Hydro Water Reservoir': 250,
        'Other renewable': 10,
        'Wind Onshore': 120,
      },
    },
  },
  { map: 'MK', eic: '10YMK-MEPSO----8', demand: 800, utc: 1, lat: 41.6, lon: 21.7, loadResolution: 'PT60M' },
  {
    map: 'NL',
    eic: '10YNL----------L',
    demand: 13000,
    utc: 1,
    lat: 52.2,
    lon: 5.3,
    loadResolution: 'PT15M',
    gen: {
      resolution: 'PT15M',
      consumption: 'all',
      types: {
        Biomass: 400,
        'Fossil Gas': 5000,
        'Fossil Hard coal': 1200,
        'Hydro Run-of-river and poundage': 5,
        Nuclear: 480,
        Other: 800,
        Solar: 25000,
        Waste: 300,
        'Wind Offshore': 4700,
        'Wind Onshore': 7000,
      },
    },
  },
  {
    map: 'NO',
    eic: '10YNO-0--------C',
    demand: 15500,
    utc: 1,
    lat: 61.0,
    lon: 9.0,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        Biomass: 1,
        'Fossil Gas': 380,
        'Hydro Pumped Storage': 1400,
        'Hydro Run-of-river and poundage': 3000,
        'Hydro Water Reservoir': 12000,
        Other: 5,
        'Other renewable': 10,
        Waste: 20,
        'Wind Onshore': 5200,
      },
    },
    bzn: [
      {
        map: 'NO1',
        eic: '10YNO-1--------2',
        name: 'NO1 BZN',
        share: 0.25,
        without: ['Hydro Pumped Storage', 'Other', 'Other renewable'],
      },
      {
        map: 'NO2',
        eic: '10YNO-2--------T',
        name: 'NO2 BZN',
        share: 0.27,
        without: ['Biomass', 'Other', 'Other renewable'],
      },
      { map: 'NO3', eic: '10YNO-3--------J', name: 'NO3 BZN', share: 0.16, without: ['Biomass'] },
      {
        map: 'NO4',
        eic: '10YNO-4--------9',
        name: 'NO4 BZN',
        share: 0.12,
        without: ['Biomass', 'Hydro Pumped Storage', 'Other', 'Waste'],
      },
      {
        map: 'NO5',
        eic: '10Y1001A1001A48H',
        name: 'NO5 BZN',
        share: 0.2,
        without: ['Biomass', 'Other', 'Other renewable', 'Wind Onshore'],
      },
    ],
  },
  {
    map: 'PL',
    eic: '10YPL-AREA-----S',
    demand: 20000,
    utc: 1,
    lat: 52.0,
    lon: 19.4,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        Biomass: 700,
        'Fossil Brown coal/Lignite': 5000,
        'Fossil Coal-derived gas': 300,
        'Fossil Gas': 1800,
        'Fossil Hard coal': 7500,
        'Fossil Oil': 250,
        'Hydro Pumped Storage': 1700,
        'Hydro Run-of-river and poundage': 150,
        'Hydro Water Reservoir': 30,
        Solar: 15000,
        'Wind Onshore': 9000,
      },
    },
  },
  {
    map: 'PT',
    eic: '10YPT-REN------W',
    demand: 5700,
    utc: 0,
    lat: 39.6,
    lon: -8.0,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'all',
      types: {
        Biomass: 350,
        'Fossil Gas': 1300,
        'Hydro Pumped Storage': 2700,
        'Hydro Run-of-river and poundage': 800,
        'Hydro Water Reservoir': 900,
        Other: 150,
        Solar: 3500,
        'Wind Offshore': 25,
        'Wind Onshore': 5600,
      },
    },
  },
  {
    map: 'RO',
    eic: '10YRO-TEL------P',
    demand: 6500,
    utc: 2,
    lat: 45.9,
    lon: 25.0,
    loadResolution: 'PT15M',
    gen: {
      resolution: 'PT15M',
      consumption: 'storage',
      types: {
        Biomass: 50,
        'Fossil Brown coal/Lignite': 1100,
        'Fossil Gas': 900,
        'Fossil Hard coal': 150,
        'Hydro Run-of-river and poundage': 700,
        'Hydro Water Reservoir': 1100,
        Nuclear: 1300,
        Solar: 1800,
        'Wind Onshore': 3000,
      },
    },
  },
  {
    map: 'RS',
    eic: '10YCS-SERBIATSOV',
    demand: 4200,
    utc: 1,
    lat: 44.0,
    lon: 20.9,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        Biomass: 5,
        'Fossil Brown coal/Lignite': 3000,
        'Fossil Gas': 200,
        'Hydro Pumped Storage': 600,
        'Hydro Run-of-river and poundage': 900,
        'Hydro Water Reservoir': 200,
        Other: 30,
      },
    },
  },
  {
    map: 'SE',
    eic: '10YSE-1--------K',
    demand: 15500,
    utc: 1,
    lat: 61.0,
    lon: 15.0,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        'Fossil Gas': 5,
        'Hydro Water Reservoir': 7500,
        Nuclear: 5500,
        Other: 1200,
        Solar: 3000,
        'Wind Onshore': 16000,
      },
    },
    bzn: [
      {
        map: 'SE1',
        eic: '10Y1001A1001A44P',
        name: 'SE1 BZN',
        share: 0.07,
        without: ['Fossil Gas', 'Nuclear'],
      },
      { map: 'SE2', eic: '10Y1001A1001A45N', name: 'SE2 BZN', share: 0.12, without: ['Nuclear'] },
      { map: 'SE3', eic: '10Y1001A1001A46L', name: 'SE3 BZN', share: 0.6 },
      { map: 'SE4', eic: '10Y1001A1001A47J', name: 'SE4 BZN', share: 0.21, without: ['Nuclear'] },
    ],
  },
  {
    map: 'SI',
    eic: '10YSI-ELES-----O',
    demand: 1500,
    utc: 1,
    lat: 46.1,
    lon: 14.8,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        Biomass: 20,
        'Fossil Brown coal/Lignite': 480,
        'Fossil Gas': 50,
        'Fossil Oil': 1,
        'Hydro Pumped Storage': 180,
        'Hydro Run-of-river and poundage': 450,
        Nuclear: 690,
        Solar: 500,
        Waste: 5,
        'Wind Onshore': 3,
      },
    },
  },
  {
    map: 'SK',
    eic: '10YSK-SEPS-----K',
    demand: 3300,
    utc: 1,
    lat: 48.7,
    lon: 19.5,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'either',
      types: {
        Biomass: 170,
        'Fossil Brown coal/Lignite': 120,
        'Fossil Gas': 250,
        'Fossil Hard coal': 200,
        'Fossil Oil': 60,
        'Hydro Pumped Storage': 900,
        'Hydro Run-of-river and poundage': 400,
        'Hydro Water Reservoir': 80,
        Nuclear: 2300,
        Other: 150,
        'Other renewable': 20,
        Solar: 600,
        'Wind Onshore': 3,
      },
    },
  },
  {
    map: 'UA',
    eic: '10Y1001C--00003F',
    demand: 14000,
    utc: 2,
    lat: 49.0,
    lon: 31.4,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: {
        'Fossil Gas': 800,
        'Fossil Hard coal': 3000,
        'Hydro Pumped Storage': 1500,
        'Hydro Water Reservoir': 800,
        Nuclear: 7500,
        Other: 200,
        Solar: 1500,
        'Wind Onshore': 400,
      },
    },
    bzn: [{ map: 'UA_IPS', eic: '10Y1001C--000182', name: 'UA-IPS BZN' }],
    cta: [{ map: 'UA_IPS', eic: '10Y1001C--000182', name: 'UA-IPS CTA' }],
  },
  {
    map: 'XK',
    eic: '10Y1001C--00100H',
    demand: 700,
    utc: 1,
    lat: 42.6,
    lon: 20.9,
    loadResolution: 'PT60M',
    gen: {
      resolution: 'PT60M',
      consumption: 'storage',
      types: { 'Fossil Brown coal/Lignite': 600, 'Hydro Run-of-river and poundage': 10, 'Wind Onshore': 40 },
    },
  },
];

/** Country borders, `A/B` by MapCode; `:15` marks the quarter-hourly ones (hourly otherwise). */
const CTY_BORDERS =
  'AL/GR AL/ME AL/XK AT/CH AT/CZ AT/DE:15 AT/HU:15 AT/IT AT/SI:15 BA/HR BA/ME BA/RS BE/DE:15 BE/FR BE/GB ' +
  'BE/LU BE/NL BG/GR BG/MK BG/RO BG/RS CH/DE:15 CH/FR CH/IT CZ/DE CZ/PL CZ/SK DE/DK:15 DE/FR DE/LU:15 ' +
  'DE/NL:15 DE/NO:15 DE/PL DE/SE DK/NL DK/NO DK/SE EE/FI EE/LV ES/FR ES/PT FI/NO FI/SE FR/GB FR/IT GB/IE ' +
  'GB/NL:15 GB/NO GR/IT GR/MK HR/HU HR/RS HR/SI HU/RO:15 HU/RS HU/SK HU/UA IT/ME IT/SI LT/LV LT/PL ' +
  'LT/SE MD/RO MD/UA ME/RS ME/XK MK/RS MK/XK NL/NO NO/SE PL/SE PL/SK PL/UA RO/RS RO/UA RS/XK SK/UA';

/**
 * Where a country is split into several zones, the zone borders a CTY border consists of (the first side
 * in the first country). Other CTY borders map one to one onto the countries' single BZN or CTA; an
 * empty value means the border lies inside one zone.
 */
const BZN_BORDERS: Readonly<Record<string, string>> = {
  'AT/IT': 'AT/IT-NORTH',
  'BE/LU': '',
  'CH/IT': 'CH/IT-NORTH',
  'DE/DK': 'DE_LU/DK1 DE_LU/DK2',
  'DE/LU': '',
  'DE/NO': 'DE_LU/NO2',
  'DE/SE': 'DE_LU/SE4',
  'DK/NL': 'DK1/NL',
  'DK/NO': 'DK1/NO2',
  'DK/SE': 'DK1/SE3 DK2/SE4',
  'FI/NO': 'FI/NO4',
  'FI/SE': 'FI/SE1 FI/SE3',
  'FR/IT': 'FR/IT-NORTH',
  'GB/NO': 'GB/NO2',
  'GR/IT': 'GR/IT-SOUTH',
  'IT/ME': 'IT-CSOUTH/ME',
  'IT/SI': 'IT-NORTH/SI',
  'LT/SE': 'LT/SE4',
  'NL/NO': 'NL/NO2',
  'NO/SE': 'NO1/SE3 NO3/SE2 NO4/SE1 NO4/SE2',
  'PL/SE': 'PL/SE4',
};

const CTA_BORDERS: Readonly<Record<string, string>> = {
  'AT/DE': 'AT/DE_Amprion AT/DE_TenneT_GER AT/DE_TransnetBW',
  'BE/DE': 'BE/DE_Amprion',
  'CH/DE': 'CH/DE_Amprion CH/DE_TransnetBW',
  'CZ/DE': 'CZ/DE_50HzT CZ/DE_TenneT_GER',
  'DE/DK': 'DE_50HzT/DK DE_TenneT_GER/DK',
  'DE/FR': 'DE_Amprion/FR DE_TransnetBW/FR',
  'DE/LU': 'DE_Amprion/LU',
  'DE/NL': 'DE_Amprion/NL DE_TenneT_GER/NL',
  'DE/NO': 'DE_TenneT_GER/NO',
  'DE/PL': 'DE_50HzT/PL',
  'DE/SE': 'DE_TenneT_GER/SE',
};

/** Borders between zones of one country: hourly, with an exchange of their own. */
const INTERNAL_BZN_BORDERS =
  'DK1/DK2 IT-NORTH/IT-CNORTH IT-CNORTH/IT-CSOUTH IT-CNORTH/IT-Sardinia IT-CSOUTH/IT-SOUTH ' +
  'IT-CSOUTH/IT-Sardinia IT-SOUTH/IT-Calabria IT-Calabria/IT-Sicily NO1/NO2 NO1/NO3 NO1/NO5 NO2/NO5 ' +
  'NO3/NO4 NO3/NO5 SE1/SE2 SE2/SE3 SE3/SE4';

/** A CTY border's typical exchange, as a fraction of the geometric mean of the two demands. */
const LINK_SIZE = 0.06;
/** An internal zone border's typical exchange, as a fraction of the country's demand. */
const INTERNAL_LINK_SIZE = 0.08;
const MIN_LINK_MW = 150;

function buildCountries(): Country[] {
  for (const spec of COUNTRY_SPECS) {
    for (const type of Object.keys(spec.gen?.types ?? {})) {
      if (!PRODUCTION_TYPES.has(type))
        throw new Error(`catalog: ${spec.map} has unknown production type "${type}"`);
    }
  }
  return COUNTRY_SPECS.map((spec) => ({
    mapCode: spec.map,
    demand: spec.demand,
    utcOffset: spec.utc,
    latitude: spec.lat,
    longitude: spec.lon,
    generation: new Map(Object.entries(spec.gen?.types ?? {})),
    consumption: spec.gen?.consumption ?? 'storage',
  }));
}

interface Coverage {
  area: SubAreaSpec;
  type: AreaType;
  /** Countries covered, with the area's share of each. */
  shares: readonly { country: Country; share: number }[];
}

function buildAreas(countries: readonly Country[]): Area[] {
  const byMap = new Map(countries.map((c) => [c.mapCode, c]));
  const country = (map: string): Country => {
    const found = byMap.get(map);
    if (!found) throw new Error(`catalog: unknown country ${map}`);
    return found;
  };

  const coverages: Coverage[] = [];
  for (const spec of COUNTRY_SPECS) {
    const own = country(spec.map);
    coverages.push({
      area: { map: spec.map, eic: spec.eic, name: spec.name ?? `${spec.map} CTY` },
      type: 'CTY',
      shares: [{ country: own, share: 1 }],
    });
    for (const type of ['BZN', 'CTA'] as const) {
      const subs = (type === 'BZN' ? spec.bzn : spec.cta) ?? [
        { map: spec.map, eic: spec.eic, name: `${spec.map} ${type}` },
      ];
      for (const sub of subs) {
        const covered = (sub.covers ?? []).map((map) => ({ country: country(map), share: 1 }));
        coverages.push({ area: sub, type, shares: [{ country: own, share: sub.share ?? 1 }, ...covered] });
      }
    }
  }

  const hasType = (coverage: Coverage, c: Country, productionType: string): boolean =>
    c.generation.has(productionType) &&
    !(c === coverage.shares[0]?.country && coverage.area.without?.includes(productionType));

  // An area's weight for a country is its share divided by the shares of every area of the same type that
  // covers that country (for that production type), so the zones of one type always add up to the country.
  const partsOf = (coverage: Coverage, productionType: string | null): Part[] =>
    coverage.shares.flatMap(({ country: c, share }) => {
      if (productionType !== null && !hasType(coverage, c, productionType)) return [];
      let total = 0;
      for (const other of coverages) {
        if (other.type !== coverage.type) continue;
        const entry = other.shares.find((s) => s.country === c);
        if (entry && (productionType === null || hasType(other, c, productionType))) total += entry.share;
      }
      return [{ country: c, weight: share / total }];
    });

  return coverages.map((coverage) => {
    const primary = coverage.shares[0]?.country as Country;
    const spec = specOf(primary);
    const loadParts = partsOf(coverage, null).filter((p) => specOf(p.country).loadResolution !== undefined);
    const loadResolution = coverage.area.loadResolution ?? spec.loadResolution;
    const types = [...primary.generation.keys()].flatMap((productionType) => {
      const parts = partsOf(coverage, productionType);
      return parts.length > 0 ? [{ productionType, parts }] : [];
    });
    return {
      mapCode: coverage.area.map,
      type: coverage.type,
      code: coverage.area.eic,
      name: coverage.area.name,
      country: primary,
      load: loadResolution && loadParts.length > 0 ? { resolution: loadResolution, parts: loadParts } : null,
      generation: spec.gen && types.length > 0 ? { resolution: spec.gen.resolution, types } : null,
    };
  });
}

function specOf(country: Country): CountrySpec {
  return COUNTRY_SPECS.find((s) => s.map === country.mapCode) as CountrySpec;
}

function buildBorders(areas: readonly Area[]): Border[] {
  const find = (type: AreaType, map: string): Area => {
    const area = areas.find((a) => a.type === type && a.mapCode === map);
    if (!area) throw new Error(`catalog: no ${type} area ${map}`);
    return area;
  };
  const pairs = (text: string) =>
    text
      .split(' ')
      .filter((token) => token !== '')
      .map((token) => {
        const [pair = '', minutes] = token.split(':');
        const [a = '', b = ''] = pair.split('/');
        const resolution: Resolution = minutes === '15' ? 'PT15M' : 'PT60M';
        return { a, b, pair, resolution };
      });

  const borders: Border[] = [];
  const addBoth = (
    type: AreaType,
    a: Area,
    b: Area,
    resolution: Resolution,
    link: Link,
    direction: 1 | -1,
    weight: number,
  ) => {
    borders.push({ type, out: a, in: b, resolution, link, direction, weight });
    borders.push({ type, out: b, in: a, resolution, link, direction: direction === 1 ? -1 : 1, weight });
  };

  for (const { a, b, pair, resolution } of pairs(CTY_BORDERS)) {
    const ctyA = find('CTY', a);
    const ctyB = find('CTY', b);
    const link: Link = {
      key: pair,
      scale: Math.max(MIN_LINK_MW, LINK_SIZE * Math.sqrt(ctyA.country.demand * ctyB.country.demand)),
    };
    addBoth('CTY', ctyA, ctyB, resolution, link, 1, 1);
    for (const [type, overrides] of [
      ['BZN', BZN_BORDERS],
      ['CTA', CTA_BORDERS],
    ] as const) {
      const mapped = overrides[pair] ?? `${singleArea(areas, type, a)}/${singleArea(areas, type, b)}`;
      const zonePairs = pairs(mapped);
      for (const zone of zonePairs) {
        const out = find(type, zone.a);
        const direction = out.country === ctyA.country ? 1 : -1;
        addBoth(type, out, find(type, zone.b), resolution, link, direction, 1 / zonePairs.length);
      }
    }
  }

  for (const { a, b, pair, resolution } of pairs(INTERNAL_BZN_BORDERS)) {
    const zoneA = find('BZN', a);
    const link: Link = { key: pair, scale: INTERNAL_LINK_SIZE * zoneA.country.demand };
    addBoth('BZN', zoneA, find('BZN', b), resolution, link, 1, 1);
  }
  return borders;
}

function singleArea(areas: readonly Area[], type: AreaType, countryMap: string): string {
  const matching = areas.filter((a) => a.type === type && a.country.mapCode === countryMap);
  const only = matching[0];
  if (matching.length !== 1 || !only) {
    throw new Error(`catalog: CTY border of ${countryMap} needs an explicit ${type} mapping`);
  }
  return only.mapCode;
}

export const COUNTRIES: readonly Country[] = buildCountries();
export const AREAS: readonly Area[] = buildAreas(COUNTRIES);
export const BORDERS: readonly Border[] = buildBorders(AREAS);
