/**
 * Why an evidence export failed, said so that the investigator knows what to do: the
 * token's role, a server failure with its request id (the server log has the rest), a
 * timeout, or the API's own message for a request it refused.
 */
import { describeError, ViewerApiError } from '../api/viewer-api-error.js';

export function evidenceFailureText(error: unknown): string {
  if (!(error instanceof ViewerApiError)) return `The evidence bundle was not saved: ${describeError(error)}`;
  const request = error.requestId !== null ? ` (request ${error.requestId})` : '';
  if (error.status === 403) {
    return `Exporting evidence needs an analyst token; this token may only read (viewer role). Ask an administrator for an analyst token (chaintrail token create --role analyst) and sign in with it. Nothing was exported${request}.`;
  }
  if (error.status !== null && error.status >= 500) {
    return `The server failed while building the evidence bundle (HTTP ${error.status}${error.requestId !== null ? `, request ${error.requestId}` : ''}): ${error.message} Nothing was downloaded. The server log names the cause under that request id; try again, or export on the server with chaintrail export --case NAME.`;
  }
  if (error.code === 'CHAINTRAIL_VIEWER_TIMEOUT') {
    return `${error.message} A bundle of a large view gathers many proofs: export fewer nodes, or export on the server with chaintrail export --case NAME.`;
  }
  return `The evidence bundle was not exported${request}: ${error.message}`;
}
