import { AppError } from '../../platform/http/app-error.js';

/** The catalog's error catalogue: stable codes, messages that say what to do next. */
export const CatalogErrors = {
  productNotFound: (idOrSlug: string) =>
    new AppError('CATALOG_PRODUCT_NOT_FOUND', 'not_found', `No product ${idOrSlug}; find products with GET /v1/products`),
  cursorInvalid: () =>
    new AppError('CATALOG_CURSOR_INVALID', 'bad_request', 'The cursor is not one this API issued for this sort; send nextCursor unchanged, or start again without a cursor', {
      fields: [{ field: 'query.cursor', message: 'not a cursor issued for this sort' }],
    }),
  relevanceNeedsQuery: () =>
    new AppError('CATALOG_SORT_NEEDS_QUERY', 'bad_request', 'sort=relevance ranks search results; send q as well, or choose another sort', {
      fields: [{ field: 'query.sort', message: 'relevance requires q' }],
    }),
  categorySlugTaken: (slug: string) =>
    new AppError('CATALOG_CATEGORY_SLUG_TAKEN', 'conflict', `A category with slug ${slug} already exists; choose another slug`, {
      fields: [{ field: 'body.slug', message: 'already taken' }],
    }),
  categoryNotFound: (id: string) =>
    new AppError('CATALOG_CATEGORY_NOT_FOUND', 'unprocessable', `No category ${id}; list categories with GET /v1/categories`, {
      fields: [{ field: 'body.categoryId', message: 'unknown category' }],
    }),
  productSlugTaken: (slug: string) =>
    new AppError('CATALOG_PRODUCT_SLUG_TAKEN', 'conflict', `A product with slug ${slug} already exists; send another slug`, {
      fields: [{ field: 'body.slug', message: 'already taken' }],
    }),
  skuTaken: (sku: string) =>
    new AppError('CATALOG_SKU_TAKEN', 'conflict', `A variant with SKU ${sku} already exists; SKUs are unique across the catalog`, {
      fields: [{ field: 'body.variants.sku', message: `${sku} already taken` }],
    }),
  currencyMixed: () =>
    new AppError('CATALOG_CURRENCY_MISMATCH', 'unprocessable', 'All variants of a product must be priced in the same currency', {
      fields: [{ field: 'body.variants.price.currency', message: 'differs between variants' }],
    }),
  currencyMismatch: (variantId: string, currency: string) =>
    new AppError('CATALOG_CURRENCY_MISMATCH', 'unprocessable', `Variant ${variantId} must be priced in the product's currency ${currency}`, {
      fields: [{ field: 'body.variants.price.currency', message: `must be ${currency}` }],
    }),
  variantNotFound: (variantId: string) =>
    new AppError('CATALOG_VARIANT_NOT_FOUND', 'unprocessable', `Variant ${variantId} does not belong to this product; send ids from the product's variants`, {
      fields: [{ field: 'body.variants.id', message: `${variantId} is not a variant of this product` }],
    }),
  availabilityUnavailable: () =>
    new AppError('CATALOG_AVAILABILITY_UNAVAILABLE', 'unavailable', 'Stock levels cannot be read right now; retry in a moment', {
      retryAfterSeconds: 1,
    }),
};
