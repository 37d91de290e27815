/**
 * Cart, item and owner ids are uuids. Anything else cannot name a cart, so it answers "not found"
 * (the same as a stranger's cart) instead of reaching the database as a type error.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);
