import type { HttpApp } from '../../../platform/service.js';
import { categoryListSchema, productListSchema, publicProductSchema } from '../contract/catalog-api.js';
import { CatalogErrors } from '../errors.js';
import { operation } from '../../../platform/http/api-operation.js';
import type { CatalogPages } from './catalog-pages.js';
import { conditionalHeaders, rememberRendered, sendRendered } from './conditional-get.js';
import { emptyQuery, idOrSlugParams, listProductsQuery } from './catalog-schemas.js';

/**
 * Public, anonymous, cacheable browsing routes. Each answers from a rendered page entry (bytes, their
 * compressed variants, ETag): the declared response schemas document the shape for OpenAPI, the bytes
 * were produced from the same contract types when the entry was filled.
 */
export function registerCatalogRoutes(app: HttpApp, pages: CatalogPages) {
  app.get(
    '/v1/products',
    {
      // search and list pages are shed first under overload; the edge caches them anyway
      config: { criticality: 'low' },
      // the rendered entry holds its br and gzip bodies (made once): nothing to compress per request
      compress: false,
      schema: {
        ...operation('catalog', {
          operationId: 'listProducts',
          summary: 'Search and browse products (keyset pagination)',
          description: 'Full-text search with `q`, filters by category and price, sorted by `sort`. Pages hold at most `limit` items; pass `nextCursor` back as `cursor` for the next page (null on the last). Anonymous and cacheable: answers carry an ETag, and `If-None-Match` with it is answered 304. Availability may be a couple of seconds old.',
          errors: [CatalogErrors.cursorInvalid(), CatalogErrors.relevanceNeedsQuery(), CatalogErrors.availabilityUnavailable()],
        }),
        querystring: listProductsQuery,
        headers: conditionalHeaders,
        response: { 200: productListSchema },
      },
    },
    async (req, reply) => {
      const page = await pages.list(req.query);
      rememberRendered(req, '/v1/products', () => pages.peek.list(req.query));
      return sendRendered(req, reply, page);
    },
  );

  app.get(
    '/v1/products/:idOrSlug',
    {
      config: { criticality: 'normal' },
      compress: false,
      schema: {
        ...operation('catalog', {
          operationId: 'getProduct',
          summary: 'One product by id or slug, with availability at most a couple of seconds old',
          description: 'The product with its variants, prices (integer minor units and an ISO currency) and whether each variant can be bought. Anonymous and cacheable: answers carry an ETag, and `If-None-Match` with it is answered 304.',
          errors: [CatalogErrors.productNotFound('blue-mug'), CatalogErrors.availabilityUnavailable()],
        }),
        params: idOrSlugParams,
        querystring: emptyQuery,
        headers: conditionalHeaders,
        response: { 200: publicProductSchema },
      },
    },
    async (req, reply) => {
      const page = await pages.product(req.params.idOrSlug);
      if (page.notFound) throw CatalogErrors.productNotFound(req.params.idOrSlug);
      const { idOrSlug } = req.params;
      rememberRendered(req, '/v1/products/:idOrSlug', () => pages.peek.product(idOrSlug));
      return sendRendered(req, reply, page);
    },
  );

  app.get(
    '/v1/categories',
    {
      config: { criticality: 'low' },
      // the rendered entry holds its br and gzip bodies (made once): nothing to compress per request
      compress: false,
      schema: {
        ...operation('catalog', {
          operationId: 'listCategories',
          summary: 'Every category in display order',
          description: 'Anonymous and cacheable: answers carry an ETag, and `If-None-Match` with it is answered 304.',
        }),
        querystring: emptyQuery,
        headers: conditionalHeaders,
        response: { 200: categoryListSchema },
      },
    },
    async (req, reply) => {
      const page = await pages.categories();
      rememberRendered(req, '/v1/categories', () => pages.peek.categories());
      return sendRendered(req, reply, page);
    },
  );
}
