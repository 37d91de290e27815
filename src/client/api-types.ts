// Generated from /v1/openapi.json by openapi-typescript (test/api-contract/client-types.test.ts). Do not edit:
// after changing a route, run `UPDATE_CLIENT_TYPES=1 npx vitest run test/api-contract/client-types.test.ts`.
export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public keys that verify access tokens (JWKS)
         * @description Tokens name their key in `kid`; a verifier that meets an unknown kid fetches this again. Cacheable for five minutes.
         */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The admin API keys, newest first (never the keys themselves)
         * @description Cursor pagination: pass `nextCursor` back as `cursor` (null on the last page). Admin only.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an admin API key
         * @description The answer is the only time the key itself is shown: it is stored hashed. Send it as `X-Api-Key`. An optional `expiresAt` (at most two years away) ends it. Admin only; audited.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an admin API key
         * @description The key stops working at once. Admin only; audited.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit log: admin actions and security events, newest first
         * @description Filter by `actor`, `action` and `target`. Cursor pagination: pass `nextCursor` back as `cursor` (null on the last page). Admin only.
         */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a category
         * @description Slugs are unique. Admin only (an admin token or an admin API key); audited.
         */
        post: operations["createCategory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/customers/{id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deactivate an account: no more logins or refreshes, and its access tokens stop working within a second
         * @description Orders already placed are unaffected. Admin only; audited.
         */
        post: operations["deactivateCustomer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/degradation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Degradation switches: each one's setting and whether its fallback is in use in this process
         * @description Admin only; never cached.
         */
        get: operations["listDegradationSwitches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/degradation/{switch}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set a degradation switch: auto (follows load shedding), on (fallback always) or off (never); reaches every process within a second
         * @description An absolute setting, so retrying it is safe. Admin only; audited.
         */
        put: operations["setDegradationSwitch"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/flash-sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every flash sale, newest first
         * @description Includes ended and paused sales. Cursor pagination: pass `nextCursor` back as `cursor` (null on the last page). Admin only.
         */
        get: operations["listAllFlashSales"];
        put?: never;
        /**
         * Create a flash sale; its units are carved out of the variant's stock at once
         * @description The sale price is in the variant's currency. The units leave the variant's regular stock now and unsold ones go back when the sale ends. Admin only; audited. `Location` names the new sale.
         */
        post: operations["createFlashSale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/flash-sales/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One flash sale with its counters and reservations
         * @description Admin only.
         */
        get: operations["getFlashSaleDetail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/flash-sales/{id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End a sale now; its unsold units go back to the shelf
         * @description Checkouts of its reservations are refused from then on (FLASH_SALE_ENDED). Admin only; audited.
         */
        post: operations["endFlashSale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/flash-sales/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a sale: joins still queue, admission stops, reservations are refused
         * @description The queue keeps its order; resumeFlashSale lets admission go on. Admin only; audited.
         */
        post: operations["pauseFlashSale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/flash-sales/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a paused sale
         * @description Admin only; audited.
         */
        post: operations["resumeFlashSale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/inventory/{variantId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stock level of a variant
         * @description `available` is `onHand` less the units reserved by checkouts in progress. Admin only.
         */
        get: operations["getStockLevel"];
        /**
         * Set the units on hand of a variant (creates the stock level if missing)
         * @description An absolute count, so retrying it is safe. It cannot go below the units currently reserved. Admin only; audited.
         */
        put: operations["setStockLevel"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/orders/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel an order: a pending one releases its stock; a paid one is refunded and restocked
         * @description An optional `reason` is kept in the audit log. Admin only; audited.
         */
        post: operations["cancelOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/orders/{id}/fulfill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a paid order as fulfilled (shipped)
         * @description Admin only; audited.
         */
        post: operations["fulfillOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/orders/{id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refund a paid or fulfilled order in full (no restock)
         * @description The refund is confirmed by the payment provider before the order changes; when it is not, the answer is 503 and the order is unchanged. Admin only; audited.
         */
        post: operations["refundOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a product with its variants
         * @description Slugs and SKUs are unique; every variant of a product is priced in the same currency. Stock is set separately (setStockLevel). Admin only; audited.
         */
        post: operations["createProduct"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/products/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a product and its variants
         * @description Only the fields sent change. Variants are named by id; a new price applies to carts at once and to orders placed after it. Cached pages are purged. Admin only; audited.
         */
        patch: operations["updateProduct"];
        trace?: never;
    };
    "/v1/admin/products/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive a product: it leaves the catalog and can no longer be bought
         * @description Orders already placed are unaffected. Admin only; audited.
         */
        post: operations["archiveProduct"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/guest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a guest session: shop and check out without an account
         * @description Answers an access token for a new guest (no refresh token). Limited per client address.
         */
        post: operations["startGuestSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in with email and password
         * @description Answers a session like registerCustomer. Wrong email and wrong password get the same answer. Limited per address and per account; repeated failures for one account from one address lock it out for a growing time (429 with Retry-After).
         */
        post: operations["logIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End this session
         * @description The access token stops working within a second; the refresh token sent (if any) is revoked. Logging out twice is not an error.
         */
        post: operations["logOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token for a new access token and refresh token
         * @description Refresh tokens rotate: each is good for one exchange. Presenting one that was already exchanged ends every session of that login (theft detection), so keep only the newest.
         */
        post: operations["refreshSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a customer account and log in
         * @description Answers a session: a short-lived access token (send it as `Authorization: Bearer`) and a refresh token (exchange it with refreshSession). Limited per client address. Answers are never cached.
         */
        post: operations["registerCustomer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/carts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an empty cart owned by the caller
         * @description A cart belongs to the customer or guest whose token created it; nobody else can read or change it. The optional `currency` fixes the cart's currency before its first line does. The number of open carts per caller is capped.
         */
        post: operations["createCart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/carts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The cart at current prices
         * @description Lines are priced at the current catalog price, and `available` says whether each variant can still be bought. Another customer's cart, and a malformed id, are answered 404 like an unknown one.
         */
        get: operations["getCart"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/carts/{id}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add units of a variant (adds to its line if present)
         * @description Adding a variant already in the cart adds to its line. A cart holds a bounded number of lines and units per variant, and one currency. Stock is not reserved until checkout.
         */
        post: operations["addCartItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/carts/{id}/items/{itemId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a line
         * @description Answers the cart without the line.
         */
        delete: operations["removeCartItem"];
        options?: never;
        head?: never;
        /**
         * Set the quantity of a line
         * @description Sets the line to exactly `quantity` units (not an increment); remove a line with DELETE.
         */
        patch: operations["updateCartItem"];
        trace?: never;
    };
    "/v1/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every category in display order
         * @description Anonymous and cacheable: answers carry an ETag, and `If-None-Match` with it is answered 304.
         */
        get: operations["listCategories"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Place an order from a cart or a flash-sale reservation; 202 once it is durable, payment follows asynchronously
         * @description Send `cartId` or `reservationId`, a shipping address and a payment token (never a card number). The answer is 202 once the order is durable; the payment is charged afterwards: poll getOrder (`Location`) until `paid` or `payment_failed`. Requires an `Idempotency-Key`: the same key and body answer the saved response (with `Idempotent-Replayed: true`), the same key with another body is 422 IDEMPOTENCY_KEY_REUSED, and a request with a key still in progress is 409 IDEMPOTENCY_KEY_IN_PROGRESS (retry). A cart held by a checkout that has not finished, or is being undone after a failure, is 409 CHECKOUT_CART_BUSY (retry after `Retry-After`: nothing was sold). Limited per customer.
         */
        post: operations["placeOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flash-sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Flash sales that are live or coming
         * @description Public; a CDN may keep the answer for a second.
         */
        get: operations["listFlashSales"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flash-sales/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One flash sale: status, remaining units, price, queue
         * @description Public; a CDN may keep the answer for a second, so `remaining` may be that old.
         */
        get: operations["getFlashSale"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flash-sales/{id}/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Join the waiting room; joining again answers the same ticket
         * @description The ticket carries your place in the queue; poll it with getQueueTicket after `retryAfterMs`. Admission is first in, first out, at the sale's admission rate. Limited per customer.
         */
        post: operations["joinFlashSaleQueue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flash-sales/{id}/queue/{ticket}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where your ticket stands: waiting (poll again after retryAfterMs), admitted (with an admission token) or sold_out
         * @description Polling writes nothing. `retryAfterMs` grows with the distance from the front: poll no sooner. An admitted ticket carries a short-lived admission token for createFlashSaleReservation.
         */
        get: operations["getQueueTicket"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flash-sales/{id}/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reserve units with your admission token; check out with the reservationId before expiresAt
         * @description Needs the `Admission-Token` of an admitted ticket and an `Idempotency-Key`: the same key and body answer the same reservation (with `Idempotent-Replayed: true`), the same key with another body is 422. Sold-out answers cost no database work. Per-customer limits hold under parallel requests.
         */
        post: operations["createFlashSaleReservation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account the access token belongs to
         * @description Private and never cached. An admin API key has no account (404).
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your orders, newest first
         * @description Cursor pagination: pass `nextCursor` back as `cursor` (null on the last page).
         */
        get: operations["listOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One of your orders, with its status history
         * @description Status is one of pending, paid, payment_failed, cancelled, refunded, fulfilled; poll after placeOrder until it leaves pending. Another customer's order is answered 404 like an unknown one.
         */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search and browse products (keyset pagination)
         * @description Full-text search with `q`, filters by category and price, sorted by `sort`. Pages hold at most `limit` items; pass `nextCursor` back as `cursor` for the next page (null on the last). Anonymous and cacheable: answers carry an ETag, and `If-None-Match` with it is answered 304. Availability may be a couple of seconds old.
         */
        get: operations["listProducts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/products/{idOrSlug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One product by id or slug, with availability at most a couple of seconds old
         * @description The product with its variants, prices (integer minor units and an ISO currency) and whether each variant can be bought. Anonymous and cacheable: answers carry an ETag, and `If-None-Match` with it is answered 304.
         */
        get: operations["getProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A flash sale with its settings, as admins see it */
        AdminFlashSale: {
            admissionRatePerSecond: number;
            admissionTtlMs: number;
            allocationReleased: boolean;
            allocationReservationId: string | null;
            allowGuests: boolean;
            createdAt: string;
            endsAt: string;
            id: string;
            paused: boolean;
            perCustomerLimit: number;
            price: {
                amount: number;
                currency: string;
            };
            quantity: number;
            reservationLeaseMs: number;
            startsAt: string;
            /** @enum {string} */
            status: "scheduled" | "live" | "sold_out" | "ended";
            updatedAt: string;
            variantId: string;
        };
        /** @description A product as admins see it: lifecycle fields, archived variants included */
        AdminProduct: {
            categoryId: string;
            createdAt: string;
            description: string;
            id: string;
            name: string;
            slug: string;
            /** @enum {string} */
            status: "active" | "archived";
            updatedAt: string;
            variants: {
                available: number;
                id: string;
                price: {
                    amount: number;
                    currency: string;
                };
                sku: string;
                /** @enum {string} */
                status: "active" | "archived";
                title: string;
            }[];
        };
        /** @description An admin API key (never the key itself) */
        ApiKey: {
            createdAt: string;
            expiresAt: string | null;
            id: string;
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            /** @constant */
            role: "admin";
        };
        /** @description A cart at current prices */
        Cart: {
            id: string;
            items: {
                available: boolean;
                id: string;
                lineTotal: {
                    amount: number;
                    currency: string;
                };
                productName: string | null;
                quantity: number;
                sku: string | null;
                title: string | null;
                unitPrice: {
                    amount: number;
                    currency: string;
                };
                variantId: string;
            }[];
            /** @enum {string} */
            status: "open" | "checked_out";
            subtotal: {
                amount: number;
                currency: string;
            };
        };
        /** @description A product category */
        Category: {
            id: string;
            name: string;
            slug: string;
        };
        /** @description A degradation switch and its state in this process */
        DegradationSwitch: {
            degraded: boolean;
            fallback: string;
            /** @enum {string} */
            mode: "auto" | "on" | "off";
            /** @enum {string} */
            name: "search" | "stock-counts";
            pressure: boolean;
        };
        /** @description A flash sale as shoppers see it */
        FlashSale: {
            admissionRatePerSecond: number;
            allowGuests: boolean;
            endsAt: string;
            id: string;
            paused: boolean;
            perCustomerLimit: number;
            price: {
                amount: number;
                currency: string;
            };
            /** @description what is on sale (the waiting-room page shows it) */
            product: {
                id: string;
                name: string;
                variantTitle: string;
            } | null;
            quantity: number;
            queue: {
                admittedUpTo: number;
                length: number;
            } | null;
            remaining: number;
            startsAt: string;
            /** @enum {string} */
            status: "scheduled" | "live" | "sold_out" | "ended";
            variantId: string;
        };
        /** @description An order and its status */
        Order: {
            createdAt: string;
            customerId: string;
            email: string | null;
            id: string;
            lines: {
                lineTotal: {
                    amount: number;
                    currency: string;
                };
                quantity: number;
                sku: string;
                title: string;
                unitPrice: {
                    amount: number;
                    currency: string;
                };
                variantId: string;
            }[];
            shippingAddress: {
                city: string;
                country: string;
                line1: string;
                line2?: string;
                name: string;
                postalCode: string;
            };
            /** @enum {string} */
            status: "pending" | "paid" | "payment_failed" | "cancelled" | "refunded" | "fulfilled";
            total: {
                amount: number;
                currency: string;
            };
            updatedAt: string;
        };
        /** @description RFC 9457 problem details. `code` is stable: switch on it, not on `title` or `detail`. */
        Problem: {
            /** @description the stable identifier of the problem */
            code: string;
            /** @description what went wrong and what to do next, for people */
            detail: string;
            /** @description the offending fields, for validation problems */
            errors?: {
                /** @description dotted path, e.g. `body.shippingAddress.postalCode` */
                field: string;
                message: string;
            }[];
            /** @description the path of the request that was refused */
            instance?: string;
            /** @description the X-Request-Id of the request: quote it to support */
            requestId?: string;
            status: number;
            /** @description the code again (RFC 9457 title) */
            title: string;
            /**
             * Format: uri
             * @description a URI naming the problem, derived from `code`
             */
            type: string;
        };
        /** @description A product with its variants, prices and availability */
        Product: {
            categoryId: string;
            description: string;
            id: string;
            name: string;
            slug: string;
            variants: {
                available: number;
                id: string;
                price: {
                    amount: number;
                    currency: string;
                };
                sku: string;
                title: string;
            }[];
        };
        /** @description A logged-in session: the access token to send, and the refresh token that renews it */
        Session: {
            accessToken: string;
            customer: {
                email: string;
                id: string;
                name: string;
            };
            expiresIn: number;
            refreshToken: string;
        };
        /** @description The stock of one variant */
        StockLevel: {
            available: number;
            onHand: number;
            reserved: number;
            variantId: string;
        };
    };
    responses: {
        /** @description The headers are too large: HEADERS_TOO_LARGE */
        HeadersTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code?: "HEADERS_TOO_LARGE";
                };
            };
        };
        /** @description Failed on our side: INTERNAL */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code?: "INTERNAL";
                };
            };
        };
        /** @description The request arrived too slowly: REQUEST_TIMEOUT */
        RequestTimeout: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code?: "REQUEST_TIMEOUT";
                };
            };
        };
        /** @description Unavailable for a moment; nothing was changed: OVERLOADED, DATABASE_UNAVAILABLE */
        Unavailable: {
            headers: {
                /** @description seconds to wait before retrying */
                "retry-after"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code?: "OVERLOADED" | "DATABASE_UNAVAILABLE";
                };
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            alg?: string;
                            crv?: string;
                            kid?: string;
                            kty?: string;
                            use?: string;
                            x?: string;
                            y?: string;
                        }[];
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    expiresAt?: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        expiresAt: string | null;
                        id: string;
                        key: string;
                        lastUsedAt: string | null;
                        name: string;
                        prefix: string;
                        revokedAt: string | null;
                        /** @enum {string} */
                        role: "admin";
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: CUSTOMERS_API_KEY_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CUSTOMERS_API_KEY_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                action?: "catalog.category_created" | "catalog.product_created" | "catalog.product_updated" | "catalog.product_archived" | "inventory.stock_set" | "orders.cancelled" | "orders.refunded" | "orders.fulfilled" | "flash_sale.created" | "flash_sale.paused" | "flash_sale.resumed" | "flash_sale.ended" | "api_key.created" | "api_key.revoked" | "api_key.used" | "signing_key.rotated" | "signing_key.retired" | "account.deactivated" | "secrets.rewrapped" | "auth.login_failed" | "auth.refresh_token_reused" | "degradation.switch_set";
                actor?: string;
                cursor?: string;
                limit?: number;
                target?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @enum {string} */
                            action: "catalog.category_created" | "catalog.product_created" | "catalog.product_updated" | "catalog.product_archived" | "inventory.stock_set" | "orders.cancelled" | "orders.refunded" | "orders.fulfilled" | "flash_sale.created" | "flash_sale.paused" | "flash_sale.resumed" | "flash_sale.ended" | "api_key.created" | "api_key.revoked" | "api_key.used" | "signing_key.rotated" | "signing_key.retired" | "account.deactivated" | "secrets.rewrapped" | "auth.login_failed" | "auth.refresh_token_reused" | "degradation.switch_set";
                            actor: {
                                id: string | null;
                                /** @enum {string} */
                                type: "admin" | "customer" | "guest" | "api_key" | "anonymous" | "system";
                            };
                            clientIp: string | null;
                            details: {
                                [key: string]: string | number | boolean | null;
                            };
                            id: string;
                            occurredAt: string;
                            requestId: string | null;
                            target: {
                                id: string;
                                type: string;
                            } | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    createCategory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    position?: number;
                    slug: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Category"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: CATALOG_CATEGORY_SLUG_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CATALOG_CATEGORY_SLUG_TAKEN";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    deactivateCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deactivated */
            204: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: CUSTOMERS_ACCOUNT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CUSTOMERS_ACCOUNT_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listDegradationSwitches: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DegradationSwitch"][];
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    setDegradationSwitch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                switch: "search" | "stock-counts";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    mode: "auto" | "on" | "off";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DegradationSwitch"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listAllFlashSales: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AdminFlashSale"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, FLASH_SALE_INVALID_CURSOR */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "FLASH_SALE_INVALID_CURSOR";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    createFlashSale: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "variantId": "0193a0c2-7c1a-7d2e-9f00-3a5c2b8e4d10",
                 *       "price": {
                 *         "amount": 2900,
                 *         "currency": "USD"
                 *       },
                 *       "quantity": 500,
                 *       "perCustomerLimit": 1,
                 *       "admissionRatePerSecond": 50,
                 *       "startsAt": "2027-01-15T10:00:00Z",
                 *       "endsAt": "2027-01-15T12:00:00Z"
                 *     }
                 */
                "application/json": {
                    admissionRatePerSecond: number;
                    /** @description how long an admission token lasts (default 60000) */
                    admissionTtlMs?: number;
                    /** @description whether guest sessions may join the queue (default false) */
                    allowGuests?: boolean;
                    /** Format: date-time */
                    endsAt: string;
                    perCustomerLimit: number;
                    price: {
                        amount: number;
                        currency: string;
                    };
                    quantity: number;
                    /** @description how long a reservation holds its units before checkout (default 600000, 10 min) */
                    reservationLeaseMs?: number;
                    /** Format: date-time */
                    startsAt: string;
                    /** Format: uuid */
                    variantId: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminFlashSale"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: FLASH_SALE_INSUFFICIENT_STOCK */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_INSUFFICIENT_STOCK";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Understood but refused: FLASH_SALE_VARIANT_NOT_FOUND, FLASH_SALE_CURRENCY_MISMATCH */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_VARIANT_NOT_FOUND" | "FLASH_SALE_CURRENCY_MISMATCH";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getFlashSaleDetail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        admissionRatePerSecond: number;
                        admissionTtlMs: number;
                        allocationReleased: boolean;
                        allocationReservationId: string | null;
                        allowGuests: boolean;
                        /** @description the counter store right now; null while it is not loaded */
                        counters: {
                            available: number;
                            frontier: number;
                            held: number;
                            queueLength: number;
                            sold: number;
                            unresolved: number;
                        } | null;
                        createdAt: string;
                        endsAt: string;
                        id: string;
                        paused: boolean;
                        perCustomerLimit: number;
                        price: {
                            amount: number;
                            currency: string;
                        };
                        quantity: number;
                        reservationLeaseMs: number;
                        /** @description units per reservation status in PostgreSQL */
                        reservations: {
                            expired: number;
                            held: number;
                            ordered: number;
                            released: number;
                            sold: number;
                        };
                        startsAt: string;
                        /** @enum {string} */
                        status: "scheduled" | "live" | "sold_out" | "ended";
                        updatedAt: string;
                        variantId: string;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: FLASH_SALE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    endFlashSale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminFlashSale"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: FLASH_SALE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    pauseFlashSale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminFlashSale"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: FLASH_SALE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: FLASH_SALE_ENDED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_ENDED";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    resumeFlashSale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminFlashSale"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: FLASH_SALE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: FLASH_SALE_ENDED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_ENDED";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getStockLevel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                variantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StockLevel"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: INVENTORY_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "INVENTORY_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    setStockLevel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                variantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    onHand: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StockLevel"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: INVENTORY_BELOW_RESERVED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "INVENTORY_BELOW_RESERVED";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    cancelOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: ORDERS_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "ORDERS_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: ORDERS_ILLEGAL_TRANSITION, ORDERS_BUSY */
            409: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "ORDERS_ILLEGAL_TRANSITION" | "ORDERS_BUSY";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            /** @description Unavailable for a moment; nothing was changed: OVERLOADED, DATABASE_UNAVAILABLE, ORDERS_REFUND_UNCONFIRMED */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "OVERLOADED" | "DATABASE_UNAVAILABLE" | "ORDERS_REFUND_UNCONFIRMED";
                    };
                };
            };
        };
    };
    fulfillOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: ORDERS_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "ORDERS_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: ORDERS_ILLEGAL_TRANSITION, ORDERS_BUSY */
            409: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "ORDERS_ILLEGAL_TRANSITION" | "ORDERS_BUSY";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    refundOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: ORDERS_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "ORDERS_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: ORDERS_ILLEGAL_TRANSITION, ORDERS_BUSY */
            409: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "ORDERS_ILLEGAL_TRANSITION" | "ORDERS_BUSY";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            /** @description Unavailable for a moment; nothing was changed: OVERLOADED, DATABASE_UNAVAILABLE, ORDERS_REFUND_UNCONFIRMED */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "OVERLOADED" | "DATABASE_UNAVAILABLE" | "ORDERS_REFUND_UNCONFIRMED";
                    };
                };
            };
        };
    };
    createProduct: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    categoryId: string;
                    description?: string;
                    name: string;
                    slug?: string;
                    variants: {
                        price: {
                            amount: number;
                            currency: string;
                        };
                        sku: string;
                        title: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminProduct"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: CATALOG_PRODUCT_SLUG_TAKEN, CATALOG_SKU_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CATALOG_PRODUCT_SLUG_TAKEN" | "CATALOG_SKU_TAKEN";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Understood but refused: CATALOG_CATEGORY_NOT_FOUND, CATALOG_CURRENCY_MISMATCH */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CATALOG_CATEGORY_NOT_FOUND" | "CATALOG_CURRENCY_MISMATCH";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    updateProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    categoryId?: string;
                    description?: string;
                    name?: string;
                    variants?: {
                        /** Format: uuid */
                        id: string;
                        price?: {
                            amount: number;
                            currency: string;
                        };
                        title?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminProduct"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: CATALOG_PRODUCT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CATALOG_PRODUCT_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: CATALOG_PRODUCT_SLUG_TAKEN, CATALOG_SKU_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CATALOG_PRODUCT_SLUG_TAKEN" | "CATALOG_SKU_TAKEN";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Understood but refused: CATALOG_CATEGORY_NOT_FOUND, CATALOG_CURRENCY_MISMATCH, CATALOG_VARIANT_NOT_FOUND */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CATALOG_CATEGORY_NOT_FOUND" | "CATALOG_CURRENCY_MISMATCH" | "CATALOG_VARIANT_NOT_FOUND";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    archiveProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminProduct"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN";
                    };
                };
            };
            /** @description Not found: CATALOG_PRODUCT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CATALOG_PRODUCT_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    startGuestSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        customer: {
                            id: string;
                        };
                        expiresIn: number;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    logIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.com",
                 *       "password": "correct-horse-battery"
                 *     }
                 */
                "application/json": {
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: CUSTOMERS_INVALID_CREDENTIALS */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CUSTOMERS_INVALID_CREDENTIALS";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    logOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    refreshToken?: string;
                };
            };
        };
        responses: {
            /** @description Logged out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    refreshSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    refreshToken: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        expiresIn: number;
                        refreshToken: string;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: CUSTOMERS_REFRESH_TOKEN_INVALID, CUSTOMERS_REFRESH_TOKEN_REUSED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CUSTOMERS_REFRESH_TOKEN_INVALID" | "CUSTOMERS_REFRESH_TOKEN_REUSED";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    registerCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.com",
                 *       "password": "correct-horse-battery",
                 *       "name": "Ada Lovelace"
                 *     }
                 */
                "application/json": {
                    email: string;
                    name: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: CUSTOMERS_EMAIL_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CUSTOMERS_EMAIL_TAKEN";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    createCart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currency?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: CARTS_OWNER_UNSUPPORTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_OWNER_UNSUPPORTED";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: CARTS_OPEN_LIMIT_REACHED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_OPEN_LIMIT_REACHED";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getCart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: CARTS_OWNER_UNSUPPORTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_OWNER_UNSUPPORTED";
                    };
                };
            };
            /** @description Not found: CARTS_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    addCartItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "variantId": "0193a0c2-7c1a-7d2e-9f00-3a5c2b8e4d10",
                 *       "quantity": 2
                 *     }
                 */
                "application/json": {
                    quantity: number;
                    /** Format: uuid */
                    variantId: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: CARTS_OWNER_UNSUPPORTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_OWNER_UNSUPPORTED";
                    };
                };
            };
            /** @description Not found: CARTS_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: CARTS_CHECKED_OUT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_CHECKED_OUT";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Understood but refused: CARTS_QUANTITY_LIMIT, CARTS_LINE_LIMIT, CARTS_VARIANT_UNAVAILABLE, CARTS_CURRENCY_MISMATCH */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_QUANTITY_LIMIT" | "CARTS_LINE_LIMIT" | "CARTS_VARIANT_UNAVAILABLE" | "CARTS_CURRENCY_MISMATCH";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    removeCartItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                itemId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: CARTS_OWNER_UNSUPPORTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_OWNER_UNSUPPORTED";
                    };
                };
            };
            /** @description Not found: CARTS_NOT_FOUND, CARTS_ITEM_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_NOT_FOUND" | "CARTS_ITEM_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: CARTS_CHECKED_OUT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_CHECKED_OUT";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    updateCartItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                itemId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    quantity: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cart"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: CARTS_OWNER_UNSUPPORTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_OWNER_UNSUPPORTED";
                    };
                };
            };
            /** @description Not found: CARTS_NOT_FOUND, CARTS_ITEM_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_NOT_FOUND" | "CARTS_ITEM_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: CARTS_CHECKED_OUT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_CHECKED_OUT";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Understood but refused: CARTS_QUANTITY_LIMIT */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CARTS_QUANTITY_LIMIT";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listCategories: {
        parameters: {
            query?: never;
            header?: {
                "if-none-match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description the version of this answer: send it back in If-None-Match to get 304 while it is current */
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Category"][];
                    };
                };
            };
            /** @description Not modified: the ETag sent in If-None-Match is still current; no body */
            304: {
                headers: {
                    etag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    placeOrder: {
        parameters: {
            query?: never;
            header: {
                /** @description A unique string per logical request (a UUID is ideal); retries of that request reuse it. */
                "idempotency-key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "cartId": "0193a0c2-7c1a-7d2e-9f00-3a5c2b8e4d10",
                 *       "shippingAddress": {
                 *         "name": "Ada Lovelace",
                 *         "line1": "12 Analytical Way",
                 *         "city": "London",
                 *         "postalCode": "N1 9GU",
                 *         "country": "GB"
                 *       },
                 *       "paymentToken": "tok_visa"
                 *     }
                 */
                "application/json": {
                    /** Format: uuid */
                    cartId?: string;
                    /** @description Where the order confirmation goes. Required for guests; a registered customer's defaults to the account email. */
                    email?: string;
                    paymentToken: string;
                    /** Format: uuid */
                    reservationId?: string;
                    shippingAddress: {
                        city: string;
                        country: string;
                        line1: string;
                        line2?: string;
                        name: string;
                        postalCode: string;
                    };
                };
            };
        };
        responses: {
            /** @description Accepted: the work goes on asynchronously */
            202: {
                headers: {
                    /** @description present when this is the saved answer to an earlier request with the same Idempotency-Key */
                    "idempotent-replayed"?: "true";
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        orderId: string;
                        /** @enum {string} */
                        status: "pending";
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_CONTENT_LENGTH, IDEMPOTENCY_KEY_REQUIRED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_CONTENT_LENGTH" | "IDEMPOTENCY_KEY_REQUIRED";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not found: CHECKOUT_CART_NOT_FOUND, FLASH_SALE_RESERVATION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CHECKOUT_CART_NOT_FOUND" | "FLASH_SALE_RESERVATION_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: IDEMPOTENCY_KEY_IN_PROGRESS, CHECKOUT_CART_ALREADY_CHECKED_OUT, CHECKOUT_CART_BUSY, CHECKOUT_ITEM_UNAVAILABLE, CHECKOUT_INSUFFICIENT_STOCK, CHECKOUT_HOLD_EXPIRED, FLASH_SALE_RESERVATION_EXPIRED, FLASH_SALE_RESERVATION_CLAIMED, FLASH_SALE_ENDED, CHECKOUT_RESERVATION_HOLD_EXPIRED */
            409: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "IDEMPOTENCY_KEY_IN_PROGRESS" | "CHECKOUT_CART_ALREADY_CHECKED_OUT" | "CHECKOUT_CART_BUSY" | "CHECKOUT_ITEM_UNAVAILABLE" | "CHECKOUT_INSUFFICIENT_STOCK" | "CHECKOUT_HOLD_EXPIRED" | "FLASH_SALE_RESERVATION_EXPIRED" | "FLASH_SALE_RESERVATION_CLAIMED" | "FLASH_SALE_ENDED" | "CHECKOUT_RESERVATION_HOLD_EXPIRED";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Understood but refused: CHECKOUT_CART_EMPTY, IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CHECKOUT_CART_EMPTY" | "IDEMPOTENCY_KEY_REUSED";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listFlashSales: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FlashSale"][];
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getFlashSale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlashSale"];
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG";
                    };
                };
            };
            /** @description Not found: FLASH_SALE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    joinFlashSaleQueue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        position: number;
                        /** @description wait this long before the first poll (the same model as a poll answer's retryAfterMs) */
                        retryAfterMs: number;
                        ticket: string;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FLASH_SALE_GUESTS_EXCLUDED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_GUESTS_EXCLUDED";
                    };
                };
            };
            /** @description Not found: FLASH_SALE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: FLASH_SALE_ENDED, FLASH_SALE_NOT_LIVE, FLASH_SALE_SOLD_OUT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_ENDED" | "FLASH_SALE_NOT_LIVE" | "FLASH_SALE_SOLD_OUT";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            /** @description Unavailable for a moment; nothing was changed: OVERLOADED, DATABASE_UNAVAILABLE, FLASH_SALE_UNAVAILABLE */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "OVERLOADED" | "DATABASE_UNAVAILABLE" | "FLASH_SALE_UNAVAILABLE";
                    };
                };
            };
        };
    };
    getQueueTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                ticket: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        admissionExpiresAt?: string;
                        admissionToken?: string;
                        position: number;
                        retryAfterMs: number;
                        /** @enum {string} */
                        state: "waiting" | "admitted" | "sold_out";
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FLASH_SALE_TICKET_INVALID */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_TICKET_INVALID";
                    };
                };
            };
            /** @description Not found: FLASH_SALE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: FLASH_SALE_TICKET_EXPIRED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_TICKET_EXPIRED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            /** @description Unavailable for a moment; nothing was changed: OVERLOADED, DATABASE_UNAVAILABLE, FLASH_SALE_UNAVAILABLE */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "OVERLOADED" | "DATABASE_UNAVAILABLE" | "FLASH_SALE_UNAVAILABLE";
                    };
                };
            };
        };
    };
    createFlashSaleReservation: {
        parameters: {
            query?: never;
            header: {
                /** @description The admission token your admitted ticket was given */
                "admission-token"?: string;
                /** @description A unique string per logical request (a UUID is ideal); retries of that request reuse it. */
                "idempotency-key": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    quantity: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description present when this is the saved answer to an earlier request with the same Idempotency-Key */
                    "idempotent-replayed"?: "true";
                    /** @description where the created resource is read (when it has its own URL) */
                    location?: string;
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        expiresAt: string;
                        reservationId: string;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG, BAD_CONTENT_LENGTH, IDEMPOTENCY_KEY_REQUIRED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG" | "BAD_CONTENT_LENGTH" | "IDEMPOTENCY_KEY_REQUIRED";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not allowed: FLASH_SALE_NOT_ADMITTED, FLASH_SALE_GUESTS_EXCLUDED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_NOT_ADMITTED" | "FLASH_SALE_GUESTS_EXCLUDED";
                    };
                };
            };
            /** @description Not found: FLASH_SALE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            /** @description Conflicts with the current state: FLASH_SALE_SOLD_OUT, FLASH_SALE_ENDED, FLASH_SALE_NOT_LIVE, FLASH_SALE_PAUSED, FLASH_SALE_ADMISSION_EXPIRED, IDEMPOTENCY_KEY_IN_PROGRESS */
            409: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "FLASH_SALE_SOLD_OUT" | "FLASH_SALE_ENDED" | "FLASH_SALE_NOT_LIVE" | "FLASH_SALE_PAUSED" | "FLASH_SALE_ADMISSION_EXPIRED" | "IDEMPOTENCY_KEY_IN_PROGRESS";
                    };
                };
            };
            /** @description The body is too large: PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description The body is not JSON: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "UNSUPPORTED_MEDIA_TYPE";
                    };
                };
            };
            /** @description Understood but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "IDEMPOTENCY_KEY_REUSED";
                    };
                };
            };
            /** @description Too many requests: RATE_LIMITED, FLASH_SALE_LIMIT_REACHED */
            429: {
                headers: {
                    /** @description what is left of each limit counted: `"name";r=<remaining>;t=<seconds to reset>` (IETF RateLimit header fields) */
                    ratelimit?: string;
                    /** @description the limits counted: `"name";q=<quota>;w=<window seconds>` */
                    "ratelimit-policy"?: string;
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED" | "FLASH_SALE_LIMIT_REACHED";
                    };
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            /** @description Unavailable for a moment; nothing was changed: OVERLOADED, DATABASE_UNAVAILABLE, FLASH_SALE_UNAVAILABLE */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "OVERLOADED" | "DATABASE_UNAVAILABLE" | "FLASH_SALE_UNAVAILABLE";
                    };
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string | null;
                        id: string;
                        name: string | null;
                        /** @enum {string} */
                        role: "guest" | "customer" | "admin";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not found: CUSTOMERS_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CUSTOMERS_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listOrders: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Order"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, ORDERS_INVALID_CURSOR */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "ORDERS_INVALID_CURSOR";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        customerId: string;
                        email: string | null;
                        history: {
                            at: string;
                            from: ("pending" | "paid" | "payment_failed" | "cancelled" | "refunded" | "fulfilled") | null;
                            reason: string | null;
                            /** @enum {string} */
                            to: "pending" | "paid" | "payment_failed" | "cancelled" | "refunded" | "fulfilled";
                        }[];
                        id: string;
                        lines: {
                            lineTotal: {
                                amount: number;
                                currency: string;
                            };
                            quantity: number;
                            sku: string;
                            title: string;
                            unitPrice: {
                                amount: number;
                                currency: string;
                            };
                            variantId: string;
                        }[];
                        shippingAddress: {
                            city: string;
                            country: string;
                            line1: string;
                            line2?: string;
                            name: string;
                            postalCode: string;
                        };
                        /** @enum {string} */
                        status: "pending" | "paid" | "payment_failed" | "cancelled" | "refunded" | "fulfilled";
                        total: {
                            amount: number;
                            currency: string;
                        };
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG";
                    };
                };
            };
            /** @description No valid credentials: AUTH_REQUIRED, AUTH_TOKEN_INVALID, CUSTOMERS_API_KEY_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "AUTH_REQUIRED" | "AUTH_TOKEN_INVALID" | "CUSTOMERS_API_KEY_INVALID";
                    };
                };
            };
            /** @description Not found: ORDERS_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "ORDERS_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listProducts: {
        parameters: {
            query?: {
                /** @description category id or slug */
                category?: string;
                /** @description nextCursor from the previous page */
                cursor?: string;
                limit?: number;
                /** @description minor units */
                maxPrice?: number;
                /** @description minor units, e.g. 1999 for 19.99 */
                minPrice?: number;
                /** @description full-text search: words, "quoted phrases", -excluded */
                q?: string;
                /** @description default: relevance with q, newest without */
                sort?: "newest" | "price_asc" | "price_desc" | "name" | "relevance";
            };
            header?: {
                "if-none-match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    /** @description the version of this answer: send it back in If-None-Match to get 304 while it is current */
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Product"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Not modified: the ETag sent in If-None-Match is still current; no body */
            304: {
                headers: {
                    etag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: VALIDATION_FAILED, CATALOG_CURSOR_INVALID, CATALOG_SORT_NEEDS_QUERY */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "CATALOG_CURSOR_INVALID" | "CATALOG_SORT_NEEDS_QUERY";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            /** @description Unavailable for a moment; nothing was changed: OVERLOADED, DATABASE_UNAVAILABLE, CATALOG_AVAILABILITY_UNAVAILABLE */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "OVERLOADED" | "DATABASE_UNAVAILABLE" | "CATALOG_AVAILABILITY_UNAVAILABLE";
                    };
                };
            };
        };
    };
    getProduct: {
        parameters: {
            query?: never;
            header?: {
                "if-none-match"?: string;
            };
            path: {
                idOrSlug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description the version of this answer: send it back in If-None-Match to get 304 while it is current */
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Product"];
                };
            };
            /** @description Not modified: the ETag sent in If-None-Match is still current; no body */
            304: {
                headers: {
                    etag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: VALIDATION_FAILED, BAD_URL, PATH_PARAMETER_TOO_LONG */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "BAD_URL" | "PATH_PARAMETER_TOO_LONG";
                    };
                };
            };
            /** @description Not found: CATALOG_PRODUCT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "CATALOG_PRODUCT_NOT_FOUND";
                    };
                };
            };
            408: components["responses"]["RequestTimeout"];
            431: components["responses"]["HeadersTooLarge"];
            500: components["responses"]["InternalError"];
            /** @description Unavailable for a moment; nothing was changed: OVERLOADED, DATABASE_UNAVAILABLE, CATALOG_AVAILABILITY_UNAVAILABLE */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        /** @enum {string} */
                        code?: "OVERLOADED" | "DATABASE_UNAVAILABLE" | "CATALOG_AVAILABILITY_UNAVAILABLE";
                    };
                };
            };
        };
    };
}
