import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { CacheCodec } from '../../../platform/cache/tagged-cache.js';

/**
 * A public catalog answer as it is kept and sent: the JSON bytes, their br and gzip variants (made
 * once, when the entry is filled, never per request), a strong ETag and the CDN surrogate keys.
 * `notFound` entries are kept too, so a storm of requests for a missing product reaches the database once.
 */
export interface RenderedResponse {
  notFound: boolean;
  body: Buffer;
  br: Buffer | undefined;
  gzip: Buffer | undefined;
  /** the identity body's hash; the ETag of each encoding adds a suffix (strong validators differ per coding) */
  hash: string;
  surrogateKeys: string;
  /**
   * Bytes this process keeps beside the entry for as long as it lives (the records a stock-only refresh reuses,
   * catalog-pages.ts), counted against the cache's bound with the bodies. Never stored in the shared level.
   */
  retainedBytes?: number;
}

/** smaller bodies fit in one packet anyway: compressing them costs more than it saves */
export const COMPRESS_THRESHOLD_BYTES = 1_024;
// moderate: br 5 is ~4× faster than the maximum for a few % of size, and runs once per entry
const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;

export function renderResponse(json: string, surrogateKeys: readonly string[]): RenderedResponse {
  const body = Buffer.from(json);
  const compress = body.length >= COMPRESS_THRESHOLD_BYTES;
  return {
    notFound: false,
    body,
    br: compress ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }) : undefined,
    gzip: compress ? gzipSync(body, { level: GZIP_LEVEL }) : undefined,
    hash: createHash('sha1').update(body).digest('base64url'),
    surrogateKeys: surrogateKeys.join(' '),
  };
}

export const NOT_FOUND: RenderedResponse = { notFound: true, body: Buffer.alloc(0), br: undefined, gzip: undefined, hash: '', surrogateKeys: '' };

/** bytes for the shared level: a small JSON header (lengths, hash, keys) then the three bodies back to back */
export const renderedResponseCodec: CacheCodec<RenderedResponse> = {
  encode(r) {
    const header = Buffer.from(JSON.stringify([r.notFound, r.hash, r.surrogateKeys, r.body.length, r.br?.length ?? -1, r.gzip?.length ?? -1]));
    const size = Buffer.alloc(4);
    size.writeUInt32BE(header.length);
    return Buffer.concat([size, header, r.body, r.br ?? Buffer.alloc(0), r.gzip ?? Buffer.alloc(0)]);
  },
  decode(bytes) {
    const headerLength = bytes.readUInt32BE(0);
    const [notFound, hash, surrogateKeys, bodyLength, brLength, gzipLength] = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as [boolean, string, string, number, number, number];
    let at = 4 + headerLength;
    const take = (length: number) => {
      if (length < 0) return undefined;
      const part = bytes.subarray(at, at + length);
      at += length;
      return part;
    };
    const body = take(bodyLength)!;
    return { notFound, hash, surrogateKeys, body, br: take(brLength), gzip: take(gzipLength) };
  },
  sizeOf: (r) => r.body.length + (r.br?.length ?? 0) + (r.gzip?.length ?? 0) + r.surrogateKeys.length + (r.retainedBytes ?? 0) + 128,
};
