/**
 * Child process of the crash-safety contract: opens the store named on the command line,
 * commits one small batch, then starts one huge batch and says so on stdout. The test
 * kills it with SIGKILL while that batch is being written.
 *
 *   node --conditions=@chaintrail/source --import tsx test/store/crash-writer.ts SPEC SMALL BIG [OPTIONS-JSON]
 */
import { openStore, type OpenStoreOptions } from '@chaintrail/store';
import { syntheticChain } from './synthetic-txs.js';

const [spec, small, big, options] = process.argv.slice(2);
if (!spec || !small || !big) throw new Error('usage: crash-writer.ts SPEC SMALL BIG [OPTIONS-JSON]');
const store = await openStore(spec, options ? (JSON.parse(options) as OpenStoreOptions) : {});
await store.writeTransactions(syntheticChain('committed', Number(small), 100));
const batch = syntheticChain('killed', Number(big), 50_000);
process.stdout.write('BEGIN\n');
await store.writeTransactions(batch);
process.stdout.write('DONE\n');
await store.close();
