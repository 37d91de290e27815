import type { FastifyReply } from 'fastify';
import { auditContextOf } from '../../../platform/http/audit-context.js';
import type { AuditContext } from '../../../platform/audit/audit-log.js';
import type { HttpApp } from '../../../platform/service.js';
import type { makeArchiveProduct } from '../archive-product.js';
import { adminProductSchema, categorySchema } from '../contract/catalog-api.js';
import type { makeCreateCategory } from '../create-category.js';
import type { CreateProductResult, makeCreateProduct } from '../create-product.js';
import { CatalogErrors } from '../errors.js';
import { operation } from '../../../platform/http/api-operation.js';
import type { makeUpdateProduct, UpdateProductOutcome } from '../update-product.js';
import { createCategoryBody, createProductBody, idParams, patchProductBody } from './catalog-schemas.js';

/** a use case that also takes who is acting, for the audit log */
type AdminAction<F> = F extends (...args: infer A) => infer R ? (by: AuditContext, ...args: A) => R : never;

export interface AdminCatalogRouteDeps {
  createCategory: AdminAction<ReturnType<typeof makeCreateCategory>>;
  createProduct: AdminAction<ReturnType<typeof makeCreateProduct>>;
  updateProduct: AdminAction<ReturnType<typeof makeUpdateProduct>>;
  archiveProduct: AdminAction<ReturnType<typeof makeArchiveProduct>>;
}

const admin = { auth: 'admin' as const };

type Refusal = Exclude<CreateProductResult | UpdateProductOutcome, { ok: true }>;

function toError(refusal: Refusal, productId: string | undefined, categoryId: string | undefined) {
  switch (refusal.code) {
    case 'CATALOG_PRODUCT_SLUG_TAKEN':
      return CatalogErrors.productSlugTaken('slug' in refusal ? (refusal.slug ?? '') : '');
    case 'CATALOG_SKU_TAKEN':
      return CatalogErrors.skuTaken(refusal.sku);
    case 'CATALOG_CATEGORY_NOT_FOUND':
      return CatalogErrors.categoryNotFound(categoryId ?? '');
    case 'CATALOG_CURRENCY_MISMATCH':
      return 'variantId' in refusal ? CatalogErrors.currencyMismatch(refusal.variantId, refusal.currency) : CatalogErrors.currencyMixed();
    case 'CATALOG_VARIANT_NOT_FOUND':
      return CatalogErrors.variantNotFound(refusal.variantId);
    case 'CATALOG_PRODUCT_NOT_FOUND':
      return CatalogErrors.productNotFound(productId ?? '');
  }
}

// admin answers reflect a write; no cache between us and the admin may keep them
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export function registerAdminCatalogRoutes(app: HttpApp, deps: AdminCatalogRouteDeps) {
  app.post(
    '/v1/admin/categories',
    {
      config: admin,
      schema: {
        ...operation('catalog', {
          operationId: 'createCategory',
          summary: 'Create a category',
          description: 'Slugs are unique. Admin only (an admin token or an admin API key); audited.',
          errors: [CatalogErrors.categorySlugTaken('mugs')],
        }),
        body: createCategoryBody,
        response: { 201: categorySchema },
      },
    },
    async (req, reply) => {
      const result = await deps.createCategory(auditContextOf(req), req.body);
      if (!result.ok) throw CatalogErrors.categorySlugTaken(req.body.slug);
      return noStore(reply).code(201).send(result.category);
    },
  );

  app.post(
    '/v1/admin/products',
    {
      config: admin,
      schema: {
        ...operation('catalog', {
          operationId: 'createProduct',
          summary: 'Create a product with its variants',
          description: 'Slugs and SKUs are unique; every variant of a product is priced in the same currency. Stock is set separately (setStockLevel). Admin only; audited.',
          errors: [CatalogErrors.productSlugTaken('blue-mug'), CatalogErrors.skuTaken('MUG-BLUE'), CatalogErrors.categoryNotFound('0193…'), CatalogErrors.currencyMixed()],
        }),
        body: createProductBody,
        response: { 201: adminProductSchema },
      },
    },
    async (req, reply) => {
      const result = await deps.createProduct(auditContextOf(req), req.body);
      if (!result.ok) throw toError(result, undefined, req.body.categoryId);
      return noStore(reply).code(201).send(result.product);
    },
  );

  app.patch(
    '/v1/admin/products/:id',
    {
      config: admin,
      schema: {
        ...operation('catalog', {
          operationId: 'updateProduct',
          summary: 'Change a product and its variants',
          description: 'Only the fields sent change. Variants are named by id; a new price applies to carts at once and to orders placed after it. Cached pages are purged. Admin only; audited.',
          errors: [CatalogErrors.productNotFound('0193…'), CatalogErrors.productSlugTaken('blue-mug'), CatalogErrors.skuTaken('MUG-BLUE'), CatalogErrors.categoryNotFound('0193…'), CatalogErrors.currencyMismatch('0193…', 'EUR'), CatalogErrors.variantNotFound('0193…')],
        }),
        params: idParams,
        body: patchProductBody,
        response: { 200: adminProductSchema },
      },
    },
    async (req, reply) => {
      const result = await deps.updateProduct(auditContextOf(req), req.params.id, req.body);
      if (!result.ok) throw toError(result, req.params.id, req.body.categoryId);
      return noStore(reply).send(result.product);
    },
  );

  app.post(
    '/v1/admin/products/:id/archive',
    {
      config: admin,
      schema: {
        ...operation('catalog', {
          operationId: 'archiveProduct',
          summary: 'Archive a product: it leaves the catalog and can no longer be bought',
          description: 'Orders already placed are unaffected. Admin only; audited.',
          errors: [CatalogErrors.productNotFound('0193…')],
        }),
        params: idParams,
        response: { 200: adminProductSchema },
      },
    },
    async (req, reply) => {
      const result = await deps.archiveProduct(auditContextOf(req), req.params.id);
      if (!result.ok) throw CatalogErrors.productNotFound(req.params.id);
      return noStore(reply).send(result.product);
    },
  );
}
