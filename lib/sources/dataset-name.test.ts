import { expect } from 'chai';
import { isOtherItemFolder } from './dataset-name.js';
import { datasetFromName } from './source.js';

describe('datasetFromName', () => {
  it('recognises the official folder and monthly file names', () => {
    expect(datasetFromName('ActualTotalLoad_6.1.A')).to.equal('load');
    expect(datasetFromName('2015_02_AggregatedGenerationPerType_16.1.B_C.csv')).to.equal('generation');
    expect(datasetFromName('/TP_export/PhysicalFlows_12.1.G/2015_03_PhysicalFlows_12.1.G.csv')).to.equal(
      'flows',
    );
  });

  it('recognises the File Library revision folders and files (_r3, _r3.1)', () => {
    expect(datasetFromName('ActualTotalLoad_6.1.A_r3')).to.equal('load');
    expect(datasetFromName('AggregatedGenerationPerType_16.1.B_C_r3.1')).to.equal('generation');
    expect(
      datasetFromName('/TP_export/PhysicalFlows_12.1.G_r3/2025_11_PhysicalFlows_12.1.G_r3.csv'),
    ).to.equal('flows');
  });

  it('recognises the course snapshot names', () => {
    expect(datasetFromName('2022_01_07_10_ActualTotalLoad6.1.A.csv')).to.equal('load');
    expect(datasetFromName('2022_01_01_20_AggregatedGenerationPerType16.1.BC.csv')).to.equal('generation');
    expect(datasetFromName('2022_02_28_13_PhysicalFlows12.1.G.zip')).to.equal('flows');
  });

  it('ignores letter case', () => {
    expect(datasetFromName('2022_01_actualtotalload_6.1.a.CSV')).to.equal('load');
    expect(datasetFromName('PHYSICALFLOWS12.1.G')).to.equal('flows');
  });

  it('takes the dataset of a renamed file from its folder', () => {
    expect(datasetFromName('ActualTotalLoad_6.1.A/new_atl.csv')).to.equal('load');
    expect(datasetFromName('C:\\data\\PhysicalFlows_12.1.G\\export.csv')).to.equal('flows');
  });

  it('prefers the file name to the folder name', () => {
    expect(datasetFromName('ActualTotalLoad_6.1.A/2022_01_PhysicalFlows_12.1.G.csv')).to.equal('flows');
  });

  it('returns null for other items, longer codes and unrelated names', () => {
    expect(datasetFromName('DayAheadTotalLoadForecast_6.1.B')).to.equal(null);
    expect(datasetFromName('ActualTotalLoad_6.1.AB')).to.equal(null);
    expect(datasetFromName('/TP_export/Export_log_r3.csv')).to.equal(null);
    expect(datasetFromName('countries_data.csv')).to.equal(null);
  });
});

describe('isOtherItemFolder', () => {
  it('is true only for folders of Transparency Platform items other than ours', () => {
    expect(isOtherItemFolder('DayAheadPrices_12.1.D')).to.equal(true);
    expect(isOtherItemFolder('EnergyPrices_12.1.D_r3.1')).to.equal(true);
    expect(isOtherItemFolder('ActualTotalLoad_6.1.A_r3')).to.equal(false);
    expect(isOtherItemFolder('TP_export')).to.equal(false);
    expect(isOtherItemFolder('zip')).to.equal(false);
  });
});
