export * from './schemas/index.js';
export { API_LIMIT_DEFAULTS, RATE_LIMIT_DEFAULTS, apiLimitsSchema, rateLimitSchema, type ApiLimits, type RateLimitConfig } from './api-config.js';
export * from './errors.js';
export { TokenStore, type SessionRecord, type TokenCreate, type TokenIdentity, type TokenInfo } from './auth/token-store.js';
export { roleAllows, type Permission } from './auth/roles.js';
export { AuditLog, type AuditLogOptions, type AuditSink } from './audit/audit-log.js';
export { auditEntrySchema, GENESIS_HASH, headPathOf, lineHash, type AuditEntry, type AuditHead, type AuditRecord } from './audit/audit-entry.js';
export { verifyAuditLog, type AuditProblem, type AuditVerification, type VerifyAuditOptions } from './audit/verify-audit-log.js';
export { apiRoutes, buildApiServer, type ApiServerOptions } from './http/build-api-server.js';
export {
  DEFAULT_API_HOST,
  DEFAULT_API_PORT,
  DEFAULT_VIEWER_DIR,
  isLoopbackHost,
  startApiServer,
  type RunningApiServer,
  type ServedApi,
  type StartApiServerOptions,
} from './http/start-api-server.js';
export { startApiCluster, type RunningApiCluster, type StartApiClusterOptions } from './cluster/start-api-cluster.js';
export { runApiWorker, type RunApiWorkerOptions } from './cluster/run-api-worker.js';
export { apiDataPaths, type ApiDataPaths } from './api-data-paths.js';
