import { describe, expect, it } from 'vitest';
import { credentialsFor, withoutCredentials } from './neo4j-connection.js';

describe('Neo4j credentials', () => {
  const env = { CHAINTRAIL_NEO4J_USER: 'env-user', CHAINTRAIL_NEO4J_PASSWORD: 'env-pass' };
  const cases: { name: string; url: string; options?: { user?: string; password?: string }; env: NodeJS.ProcessEnv; want: { user: string; password: string } | null }[] = [
    { name: 'options come first', url: 'bolt://u:p@host:7687', options: { user: 'opt', password: 'secret' }, env, want: { user: 'opt', password: 'secret' } },
    { name: 'then the URL user info, percent-decoded', url: 'bolt://neo4j:p%40ss%3Aword@host:7687', env, want: { user: 'neo4j', password: 'p@ss:word' } },
    { name: 'then the environment', url: 'bolt://host:7687', env, want: { user: 'env-user', password: 'env-pass' } },
    { name: 'none: no authentication', url: 'bolt://127.0.0.1:7688', env: {}, want: null },
  ];
  for (const { name, url, options, env: e, want } of cases) {
    it(name, () => expect(credentialsFor(url, options, e)).toEqual(want));
  }

  it('never shows credentials in the location', () => {
    expect(withoutCredentials('neo4j+s://neo4j:hunter2@db.example:7687')).toBe('neo4j+s://db.example:7687');
    expect(withoutCredentials('bolt://127.0.0.1:7688')).toBe('bolt://127.0.0.1:7688');
  });
});
