import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, isBrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
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

const isPipelineStream = (stream: unknown): stream is { isPipeline: true; write(data: string): void } =>
  typeof stream === 'object' && stream !== null && (stream as { isPipeline?: unknown }).isPipeline === true;

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
  /** the command's own promise must still settle, and a pipeline is written once every command is handed to its stream: a refused one hands over nothing */
  const refuse = (command: Parameters<Redis['sendCommand']>[0], stream: unknown) => {
    command.reject(new RedisCircuitOpenError(options.name));
    if (isPipelineStream(stream)) stream.write('');
    return command.promise;
  };
  const send = redis.sendCommand.bind(redis) as (command: Parameters<Redis['sendCommand']>[0], stream?: unknown) => unknown;
  // ioredis' command methods and pipelines all send through sendCommand; the command carries its own promise
  redis.sendCommand = ((command: Parameters<Redis['sendCommand']>[0], stream?: unknown) => {
    if (redis.status !== 'ready') return send(command, stream);
    // half-open, cockatiel holds every other call until the one trial settles; a pipeline is written only once
    // each of its commands is handed over, so a held command would hold the trial back until it timed out and
    // the circuit could never close under load: the pipeline's other commands are refused at once instead
    if (policy.state === CircuitState.HalfOpen && isPipelineStream(stream)) return refuse(command, stream);
    policy
      .execute(() => {
        send(command, stream);
        return command.promise;
      })
      .catch((err: unknown) => {
        // the circuit refused it before it was sent
        if (isBrokenCircuitError(err)) refuse(command, stream);
      });
    return command.promise;
  }) as Redis['sendCommand'];
  return policy;
}
