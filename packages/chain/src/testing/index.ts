export { FixtureWorld, type WorldBlock, type WorldTx } from './fixture-world.js';
export { esploraJsonFromTx, type EsploraPlacement } from './esplora-json-from-tx.js';
export { FaultPlan, tamperJsonTx, tamperRawHex, type Fault, type FaultRule } from './fault-plan.js';
export { startFixtureHttpServer, type FixtureAnswer, type FixtureRequest, type FixtureRoute, type FixtureServer, type LoggedRequest } from './fixture-http-server.js';
export { startEsploraFixtureServer, type EsploraFixtureOptions } from './esplora-fixture-server.js';
export { startCoreRpcFixtureServer, type CoreRpcFixtureOptions } from './core-rpc-fixture-server.js';
export { worldFromBlockFiles } from './world-from-block-files.js';
