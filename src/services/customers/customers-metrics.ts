import type { Metrics } from '../../platform/telemetry/metrics.js';

export type AuthEvent =
  | 'registered'
  | 'login_succeeded'
  | 'login_failed'
  | 'refresh_succeeded'
  | 'refresh_rejected'
  | 'refresh_reuse_detected'
  | 'guest_started'
  | 'api_key_rejected'
  | 'key_set_loaded'
  // an access token's signature checked, or found among the verified ones remembered (jwt-verifier.ts)
  | 'access_token_verified'
  | 'access_token_remembered';

export type RecordAuthEvent = (event: AuthEvent) => void;

/** Failed logins and refresh-token reuse are what an operator alerts on (credential stuffing, stolen tokens). */
export function createAuthEventRecorder(metrics: Metrics): RecordAuthEvent {
  const counter = metrics.counter('floodgate_customers_auth_events_total', 'Authentication outcomes by event', ['event'] as const);
  // a closed set of events, one of them counted on every authenticated request: a tally each (metrics.ts)
  return metrics.tallyPer(counter, (event: AuthEvent) => ({ event }));
}
