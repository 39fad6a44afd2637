import { expect } from 'chai';
import { FmsSource } from './fms-source.js';
import { FolderSource } from './folder-source.js';
import { FtpSource } from './ftp-source.js';
import { createSource } from './source.js';

describe('createSource', () => {
  it('builds a folder source for a folder config', () => {
    const source = createSource({ kind: 'folder', path: '/srv/entsoe' });
    expect(source).to.be.instanceOf(FolderSource);
    expect(source.describe()).to.equal('folder /srv/entsoe');
  });

  it('builds an FTP source (also what the demo becomes) and keeps the password out of its description', () => {
    const source = createSource({
      kind: 'ftp',
      url: 'ftps://tp%40example.org:s3cret@ftp.example.org:2121/TP_export',
    });
    expect(source).to.be.instanceOf(FtpSource);
    expect(source.kind).to.equal('ftp');
    expect(source.describe()).to.equal('ftp ftps://tp%40example.org@ftp.example.org:2121/TP_export');
  });

  it('builds an anonymous FTP source when the URL has no user', () => {
    expect(createSource({ kind: 'ftp', url: 'ftp://127.0.0.1:2121/' }).describe()).to.equal(
      'ftp ftp://127.0.0.1:2121/',
    );
  });

  it('builds a File Library source and keeps the password out of its description', () => {
    const source = createSource({
      kind: 'fms',
      username: 'tp@example.org',
      password: 's3cret',
      apiUrl: 'https://fms.tp.entsoe.eu',
      tokenUrl: 'https://keycloak.tp.entsoe.eu/realms/tp/protocol/openid-connect/token',
    });
    expect(source).to.be.instanceOf(FmsSource);
    expect(source.describe()).to.equal('fms https://fms.tp.entsoe.eu as tp@example.org');
  });

  it('refuses a URL that is not ftp:// or ftps://', () => {
    expect(() => createSource({ kind: 'ftp', url: 'sftp://host/TP_export' })).to.throw(
      /ftp:\/\/ or ftps:\/\//,
    );
  });
});
