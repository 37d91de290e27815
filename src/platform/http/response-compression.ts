import { constants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** smaller answers fit in one packet anyway: compressing them costs more than it saves (the catalog's threshold too) */
export const COMPRESSION_THRESHOLD_BYTES = 1_024;
/** br at 4: per-request compression at 11 (the library default for static assets) costs milliseconds per answer */
export const BROTLI_QUALITY = 4;
export const GZIP_LEVEL = 6;

/**
 * br or gzip for the answers that are made per request (carts, orders, admin lists, /metrics, the API
 * document), when the client accepts it and the body is over the threshold. Rendered catalog pages carry their
 * own compressed variants (made once per entry) and set Content-Encoding themselves, which this leaves alone;
 * spike routes with small answers opt out with `compress: false`, so they skip the hook. br at quality 4:
 * per-request compression at 11 (the library default for static assets) costs milliseconds per answer.
 * Request bodies are never inflated: a compressed upload is refused like any other unreadable body, so no
 * small request can expand into a large one.
 */
export const responseCompression = fp(
  async (app: FastifyInstance) => {
    await app.register(fastifyCompress, {
      global: true,
      globalDecompression: false,
      threshold: COMPRESSION_THRESHOLD_BYTES,
      encodings: ['br', 'gzip'],
      brotliOptions: { params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
      zlibOptions: { level: GZIP_LEVEL },
    });
  },
  { name: 'floodgate-response-compression', fastify: '5.x' },
);
