import { context, propagation } from '@opentelemetry/api';
import { runWithSlot, slotValue } from '../async-context.js';
import { newSpanId, newTraceId } from '../ids.js';

/** What an incoming request hands on to every call it makes to another service. */
export interface CallContext {
  requestId: string;
  /** 32 hex digits: the W3C trace this request belongs to (its caller's, or a new one) */
  traceId: string;
}

const CALL = Symbol('floodgate.callContext');
const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** the trace of an incoming `traceparent`, or a new one: a request with no caller starts its own */
export function traceIdOf(traceparent: string | string[] | undefined): string {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  return match?.[1] && !/^0+$/.test(match[1]) ? match[1] : newTraceId();
}

export function runWithCallContext<T>(ctx: CallContext, fn: () => T): T {
  return runWithSlot(CALL, ctx, fn);
}

export function currentCallContext(): CallContext | undefined {
  return slotValue<CallContext>(CALL);
}

/**
 * Headers for an outbound call: the request id, and a `traceparent` in the caller's trace. With
 * OpenTelemetry on, its propagator writes the traceparent of the active span (the undici client span);
 * without it, the trace id still carries across services, with a fresh parent id per call.
 */
export function outboundTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  const ctx = slotValue<CallContext>(CALL);
  if (ctx) {
    headers['x-request-id'] = ctx.requestId;
    headers.traceparent ??= `00-${ctx.traceId}-${newSpanId()}-01`;
  }
  return headers;
}
