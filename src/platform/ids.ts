/**
 * Ids are uuids (UUIDv7 for new rows). Anything else cannot name a row, so stores answer "not
 * found" for it instead of sending it to PostgreSQL, where the uuid cast would fail.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);
