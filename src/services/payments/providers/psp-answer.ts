import { z } from 'zod';

/** A PSP answer is a few short fields; anything bigger is not an answer we can use (undici aborts past this). */
export const MAX_PSP_ANSWER_BYTES = 64 * 1024;

// identifiers we store and show: printable ASCII, bounded, so a hostile answer cannot smuggle
// objects, control characters or megabytes into the payments table, the events or the logs
const token = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/);
const code = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/);

const answerSchema = z.object({
  id: token.optional(),
  status: code.optional(),
  reason: code.optional(),
  refundId: token.optional(),
  error: z.object({ code: code.optional(), message: z.string().max(500).optional() }).optional(),
});

export type PspAnswer = z.infer<typeof answerSchema>;

/**
 * The PSP's body, believed only as far as it has the shape we expect. A body that is not JSON, or
 * whose fields have the wrong type or form, counts as no body: then the HTTP status alone decides,
 * and a 2xx without a well-formed `captured` + id is never taken for a capture. zod builds a fresh
 * object of the known keys only, so `__proto__` or extra keys in the answer go nowhere.
 */
export function parsePspAnswer(text: string): PspAnswer {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // a proxy's HTML error page: the status decides
    return {};
  }
  const parsed = answerSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}
