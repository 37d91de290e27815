import { z } from 'zod';
import { moneySchema } from '../../../platform/money.js';
import { looksLikeUuid, SLUG_PATTERN } from '../catalog-ids.js';
import { safeText } from '../../../platform/http/safe-text.js';

/** the API's largest price, as in platform/money.ts */
const MAX_MINOR = 1_000_000_000_00;
const priceFilter = z.coerce.number().int().min(0).max(MAX_MINOR).optional();

export const listProductsQuery = z.strictObject({
  q: safeText().trim().min(1).max(200).optional().describe('full-text search: words, "quoted phrases", -excluded'),
  category: safeText({ cardCheck: false }).min(1).max(120).optional().describe('category id or slug'),
  minPrice: priceFilter.describe('minor units, e.g. 1999 for 19.99'),
  maxPrice: priceFilter.describe('minor units'),
  sort: z.enum(['newest', 'price_asc', 'price_desc', 'name', 'relevance']).optional().describe('default: relevance with q, newest without'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: safeText({ cardCheck: false }).min(1).max(1_024).optional().describe('nextCursor from the previous page'),
});

export const emptyQuery = z.strictObject({});

// Slugs and SKUs are identifiers the merchant chooses in a fixed alphabet, not free text, and they
// often carry a GTIN/EAN barcode: 13 digits whose own check digit passes Luhn about one time in ten.
// The card check would refuse such a product (and then its lookups), so these skip it.
export const idOrSlugParams = z.strictObject({ idOrSlug: safeText({ cardCheck: false }).min(1).max(200) });
export const idParams = z.strictObject({ id: z.uuid() });

const slug = safeText({ cardCheck: false })
  .min(1)
  .max(100)
  .regex(SLUG_PATTERN, 'lowercase letters, digits and single hyphens, e.g. merino-hoodie')
  .refine((s) => !looksLikeUuid(s), 'must not look like a uuid: /v1/products/{idOrSlug} would read it as an id');

const name = safeText().trim().min(1).max(200);
const description = safeText({ multiline: true }).max(5_000);
const title = safeText().trim().min(1).max(120);
const sku = safeText({ cardCheck: false }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash, underscore; at most 64');

export const createCategoryBody = z.strictObject({
  slug,
  name: safeText().trim().min(1).max(100),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const createProductBody = z
  .strictObject({
    slug: slug.optional(),
    name,
    description: description.optional(),
    categoryId: z.uuid(),
    variants: z.array(z.strictObject({ sku, title, price: moneySchema })).min(1).max(50),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.variants.forEach((v, i) => {
      if (seen.has(v.sku)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'sku'], message: `duplicate sku ${v.sku}` });
      seen.add(v.sku);
    });
  });

export const patchProductBody = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    categoryId: z.uuid().optional(),
    variants: z
      .array(z.strictObject({ id: z.uuid(), title: title.optional(), price: moneySchema.optional() }))
      .min(1)
      .max(50)
      .optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'send at least one of name, description, categoryId, variants');
