import type { HttpApp } from '../../../platform/service.js';
import { categoryListSchema, productListSchema, publicProductSchema, type Category } from '../contract/catalog-api.js';
import { CatalogErrors } from '../errors.js';
import type { makeGetProduct } from '../get-product.js';
import type { makeListProducts } from '../list-products.js';
import { conditionalHeaders, sendCacheable } from './conditional-get.js';
import { emptyQuery, idOrSlugParams, listProductsQuery } from './catalog-schemas.js';

export interface CatalogRouteDeps {
  listProducts: ReturnType<typeof makeListProducts>;
  getProduct: ReturnType<typeof makeGetProduct>;
  listCategories: () => Promise<Category[]>;
}

/** Public, anonymous, cacheable browsing routes. */
export function registerCatalogRoutes(app: HttpApp, { listProducts, getProduct, listCategories }: CatalogRouteDeps) {
  app.get(
    '/v1/products',
    {
      // search and list pages are shed first under overload; the edge caches them anyway
      config: { criticality: 'low' },
      schema: {
        tags: ['catalog'],
        summary: 'Search and browse products (keyset pagination)',
        querystring: listProductsQuery,
        headers: conditionalHeaders,
        response: { 200: productListSchema },
      },
    },
    async (req, reply) => {
      const result = await listProducts(req.query);
      if (!result.ok) throw result.code === 'CATALOG_SORT_NEEDS_QUERY' ? CatalogErrors.relevanceNeedsQuery() : CatalogErrors.cursorInvalid();
      return sendCacheable(req, reply, { items: result.items, nextCursor: result.nextCursor });
    },
  );

  app.get(
    '/v1/products/:idOrSlug',
    {
      config: { criticality: 'normal' },
      schema: {
        tags: ['catalog'],
        summary: 'One product by id or slug, with live availability',
        params: idOrSlugParams,
        querystring: emptyQuery,
        headers: conditionalHeaders,
        response: { 200: publicProductSchema },
      },
    },
    async (req, reply) => {
      const result = await getProduct(req.params.idOrSlug);
      if (!result.ok) throw CatalogErrors.productNotFound(req.params.idOrSlug);
      return sendCacheable(req, reply, result.product);
    },
  );

  app.get(
    '/v1/categories',
    {
      config: { criticality: 'low' },
      schema: {
        tags: ['catalog'],
        summary: 'Every category in display order',
        querystring: emptyQuery,
        headers: conditionalHeaders,
        response: { 200: categoryListSchema },
      },
    },
    async (req, reply) => sendCacheable(req, reply, { items: await listCategories() }),
  );
}
