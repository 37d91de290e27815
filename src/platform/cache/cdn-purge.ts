/**
 * Called when cached answers stop being true, with the surrogate keys those answers carried
 * (`Surrogate-Key` response header). The default only logs; to purge a CDN, pass an implementation
 * that calls it, e.g. Fastly: `POST https://api.fastly.com/service/<id>/purge` with header
 * `Surrogate-Key: <keys joined by spaces>` and `Fastly-Key: <token>`; Cloudflare Enterprise: `POST
 * /zones/<zone>/purge_cache {"tags":[…]}` (Cache-Tag). Purges are best effort: a failure is logged, the
 * short `s-maxage` bounds what a missed purge costs.
 */
export interface CdnPurge {
  purge(surrogateKeys: readonly string[]): Promise<void>;
}

export interface PurgeLogger {
  debug(obj: object, msg?: string): void;
}

/** no CDN: say what would have been purged, at debug */
export const createLoggingCdnPurge = (logger: PurgeLogger): CdnPurge => ({
  async purge(surrogateKeys) {
    logger.debug({ surrogateKeys }, 'cdn purge (no CDN configured)');
  },
});
