import { ConsecutiveBreaker, circuitBreaker, handleWhen, isBrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { ReplyError, type Redis } from 'ioredis';
import { watchBreaker } from '../resilience/breaker-metrics.js';
import type { Metrics } from '../telemetry/metrics.js';

export interface RedisBreakerOptions {
  /** the breaker's name in `floodgate_breaker_state{breaker}`: `redis:<connection name>` */
  name: string;
  metrics?: Metrics;
  /** commands in a row that got no answer before the circuit opens. Default 5 */
  consecutiveFailures?: number;
  /** how long the circuit stays open before one command may try again. Default 1000 ms */
  halfOpenAfterMs?: number;
}

/** The circuit of a Redis connection is open: the command was not sent. Callers treat it as Redis being away. */
export class RedisCircuitOpenError extends Error {
  override name = 'RedisCircuitOpenError';
  readonly transient = true;
  constructor(readonly connection: string) {
    super(`redis (${connection}) is not answering: circuit open, command not sent`);
  }
}

// a reply error is an answer (NOSCRIPT, WRONGTYPE, a script's own error): Redis is well, the command was wrong
const unanswered = (err: unknown) => !(err instanceof ReplyError) && !(err instanceof RedisCircuitOpenError);

/**
 * A circuit breaker on every command a connection sends while it is connected. ioredis already fails fast
 * while it is disconnected (no offline queue beyond one reconnect); what it cannot see is a server that
 * accepts commands and never answers (frozen, swapping, a stuck script): each command then waits its full
 * command timeout (2 s for the counters), and every request of a flash sale would too. After
 * `consecutiveFailures` unanswered commands the circuit opens and commands fail at once with
 * RedisCircuitOpenError, so callers answer 503 in microseconds; after `halfOpenAfterMs` one command tries
 * again and closes it if answered. Commands sent while the connection is not ready (the connect handshake,
 * the ready check, resubscriptions) pass untouched, so an open circuit never stops the connection itself
 * from coming back. Not for subscriber connections.
 */
export function guardRedisWithBreaker(redis: Redis, options: RedisBreakerOptions): CircuitBreakerPolicy {
  const policy = circuitBreaker(handleWhen(unanswered), {
    halfOpenAfter: options.halfOpenAfterMs ?? 1_000,
    breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 5),
  });
  if (options.metrics) watchBreaker(options.metrics, options.name, policy);
  const send = redis.sendCommand.bind(redis) as (command: Parameters<Redis['sendCommand']>[0], stream?: unknown) => unknown;
  // ioredis' command methods and pipelines all send through sendCommand; the command carries its own promise
  redis.sendCommand = ((command: Parameters<Redis['sendCommand']>[0], stream?: unknown) => {
    if (redis.status !== 'ready') return send(command, stream);
    policy
      .execute(() => {
        send(command, stream);
        return command.promise;
      })
      .catch((err: unknown) => {
        // the circuit refused it before it was sent: the command's own promise must still settle
        if (isBrokenCircuitError(err)) command.reject(new RedisCircuitOpenError(options.name));
      });
    return command.promise;
  }) as Redis['sendCommand'];
  return policy;
}
