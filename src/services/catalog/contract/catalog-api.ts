import { z } from 'zod';
import { moneySchema } from '../../../platform/money.js';

/** Public response shapes of the catalog API (DESIGN.md section 3); storefronts and tests may rely on them. */
export const publicVariantSchema = z.object({
  id: z.string(),
  sku: z.string(),
  title: z.string(),
  price: moneySchema,
  /** units that can be bought now (on hand − reserved); read fresh on every request */
  available: z.number().int(),
});

export const publicProductSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  categoryId: z.string(),
  variants: z.array(publicVariantSchema),
}).meta({ id: 'Product', description: 'A product with its variants, prices and availability' });

export const productListSchema = z.object({
  items: z.array(publicProductSchema),
  /** pass back as `cursor` for the next page; null on the last page */
  nextCursor: z.string().nullable(),
});

export const categorySchema = z.object({ id: z.string(), slug: z.string(), name: z.string() }).meta({ id: 'Category', description: 'A product category' });
export const categoryListSchema = z.object({ items: z.array(categorySchema) });

/** What admin routes answer: the public shape plus lifecycle fields, archived variants included. */
export const adminProductSchema = publicProductSchema.extend({
  status: z.enum(['active', 'archived']),
  createdAt: z.string(),
  updatedAt: z.string(),
  variants: z.array(publicVariantSchema.extend({ status: z.enum(['active', 'archived']) })),
}).meta({ id: 'AdminProduct', description: 'A product as admins see it: lifecycle fields, archived variants included' });

export type PublicProduct = z.infer<typeof publicProductSchema>;
export type ProductList = z.infer<typeof productListSchema>;
export type Category = z.infer<typeof categorySchema>;
export type AdminProduct = z.infer<typeof adminProductSchema>;
