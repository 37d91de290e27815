import { z } from 'zod';
import type { HttpApp, ServiceModule } from '../service.js';
import { decodeInternal, encodeInternal, internalPath, type InternalApi } from './internal-api.js';

export interface InternalRoutesOptions<Client> {
  api: InternalApi<Client>;
  /** the in-process client the routes call: the service's own */
  client: Client;
  /** checks `Authorization` and answers the calling service (service-token.ts); throws 401 otherwise */
  verify: (authorization: string | undefined) => Promise<string>;
}

/**
 * A call's body: the arguments, decoded (Date, Map), then checked against the method's own schema, so a
 * malformed call is a 400 naming the argument (`body.args.0.lines.0.quantity`) before the method runs.
 */
const bodySchemaOf = (args: z.ZodType<unknown, unknown>) => z.strictObject({ args: z.array(z.unknown()).max(16).transform(decodeInternal).pipe(args) });

/**
 * `POST /internal/<service>/<method>` for every method of a contract client, so that another process
 * can call it (internal-client.ts). Only a service credential opens them — a customer's or admin's
 * token is not one (different algorithm, `typ` and audience) and is refused with 401 before the body
 * is read. Hidden from the public OpenAPI document; nginx does not route /internal/ from outside.
 */
export function internalRoutesModule<Client>({ api, client, verify }: InternalRoutesOptions<Client>): ServiceModule {
  return {
    name: `${api.service}-internal`,
    client: undefined,
    routes: (app: HttpApp) => {
      app.addHook('onRequest', async (req) => {
        await verify(req.headers.authorization);
      });
      for (const method of Object.keys(api.methods) as Array<keyof Client & string>) {
        const bodySchema = bodySchemaOf(api.methods[method].args as z.ZodType<unknown, unknown>);
        app.post(
          internalPath(api.service, method),
          // the caller was admitted by its own process and is usually part of a checkout: shed late
          { schema: { hide: true, body: bodySchema }, config: { criticality: 'high' } },
          async (req) => {
            const fn = client[method] as unknown as (...args: unknown[]) => Promise<unknown>;
            const result = await fn.apply(client, req.body.args as unknown[]);
            // no `result` key is a void method's answer: the client gives back undefined, not null
            return result === undefined ? {} : { result: encodeInternal(result) };
          },
        );
      }
    },
  };
}
