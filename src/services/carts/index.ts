import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '../../platform/db/migrate.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import type { ServiceModule } from '../../platform/service.js';
import type { CatalogClient } from '../catalog/contract/catalog-client.js';
import { makeAddCartItem } from './add-cart-item.js';
import { makeChangeCartItemQuantity } from './change-cart-item-quantity.js';
import type { CartsClient } from './contract/carts-client.js';
import { makeCreateCart } from './create-cart.js';
import { makeGetCart } from './get-cart.js';
import { makeGetCartForCheckout } from './get-cart-for-checkout.js';
import { registerCartRoutes } from './http/cart-routes.js';
import { makeMarkCartCheckedOut } from './mark-cart-checked-out.js';
import { makeRemoveCartItem } from './remove-cart-item.js';
import { makeReopenCart } from './reopen-cart.js';
import { CARTS_SCHEMA, createSqlCartStore } from './storage/sql-cart-store.js';

export const cartsMigrations: MigrationSource = {
  schema: CARTS_SCHEMA,
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
};

export type CartsServiceDeps = ServiceDeps & {
  /** prices every line at the current catalog price, one getVariants call per request */
  catalog: CatalogClient;
  /** CARTS_MAX_OPEN_PER_CUSTOMER; 20 when absent */
  maxOpenCartsPerCustomer?: number;
};

export function createCartsService(deps: CartsServiceDeps): ServiceModule<CartsClient> {
  const store = createSqlCartStore(deps.db);
  const { catalog } = deps;

  const client: CartsClient = {
    getForCheckout: makeGetCartForCheckout({ store, catalog }),
    markCheckedOut: makeMarkCartCheckedOut({ store }),
    reopen: makeReopenCart({ store }),
  };

  return {
    name: 'carts',
    migrations: cartsMigrations,
    routes: (app) =>
      registerCartRoutes(app, {
        createCart: makeCreateCart({ store, maxOpen: deps.maxOpenCartsPerCustomer ?? 20 }),
        getCart: makeGetCart({ store, catalog }),
        addCartItem: makeAddCartItem({ store, catalog }),
        changeCartItemQuantity: makeChangeCartItemQuantity({ store, catalog }),
        removeCartItem: makeRemoveCartItem({ store, catalog }),
      }),
    client,
  };
}
