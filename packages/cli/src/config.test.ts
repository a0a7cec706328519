import { describe, expect, it } from 'vitest';
import { cliConfigSchema, defaultHome, loadConfig, withFlags } from './config.js';

describe('CLI configuration', () => {
  it('has these defaults', () => {
    expect(loadConfig({ CHAINTRAIL_HOME: '/data/chaintrail' })).toEqual({
      home: '/data/chaintrail',
      store: null,
      network: 'mainnet',
      rps: null,
      retries: null,
      ingest: { hopsBack: 2, hopsForward: 2, minValue: 0, maxTxsPerAddress: 1000, seedBatch: 1000, txBatch: 2000, concurrency: 16 },
      demo: { users: 2000, seed: 2019, hopsBack: 2, hopsForward: 6 },
    });
  });

  it('puts the data directory in a per-user folder when CHAINTRAIL_HOME is not set', () => {
    expect(defaultHome({}, 'linux', '/home/ana')).toBe('/home/ana/.local/share/chaintrail');
    expect(defaultHome({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/ana')).toBe('/xdg/chaintrail');
    expect(defaultHome({}, 'darwin', '/Users/ana')).toBe('/Users/ana/Library/Application Support/chaintrail');
    expect(defaultHome({ LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'win32', 'C:\\Users\\ana')).toMatch(/chaintrail$/);
  });

  it('takes the environment over the defaults, and flags over the environment', () => {
    const env = { CHAINTRAIL_HOME: '/h', CHAINTRAIL_HOPS_BACK: '4', CHAINTRAIL_MAX_TXS_PER_ADDRESS: '50', CHAINTRAIL_STORE: 'sqlite:/x.sqlite', CHAINTRAIL_RPS: '100' };
    const config = loadConfig(env);
    expect(config).toMatchObject({ store: 'sqlite:/x.sqlite', rps: 100, ingest: { hopsBack: 4, maxTxsPerAddress: 50, hopsForward: 2 } });
    expect(withFlags(config, { store: 'neo4j:bolt://db:7687', ingest: { hopsBack: 1, hopsForward: undefined } })).toMatchObject({ store: 'neo4j:bolt://db:7687', ingest: { hopsBack: 1, hopsForward: 2 } });
  });

  it('refuses an environment value that is not a number, naming the variable', () => {
    expect(() => loadConfig({ CHAINTRAIL_HOME: '/h', CHAINTRAIL_HOPS_BACK: 'two' })).toThrow(/CHAINTRAIL_HOPS_BACK=two/);
    expect(() => loadConfig({ CHAINTRAIL_HOME: '/h', CHAINTRAIL_HOPS_BACK: '99' })).toThrow(/hopsBack/);
  });

  it('rejects unknown settings', () => {
    expect(cliConfigSchema.safeParse({ home: '/h', colour: 'blue' }).success).toBe(false);
  });
});
