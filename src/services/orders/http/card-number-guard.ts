/** 13–19 digits, optionally grouped by single spaces or dashes: the shape of a primary account number. */
const CARD_NUMBER = /(?:\d[ -]?){12,18}\d/;

/**
 * True when the text looks like a card number. The API only ever takes PSP tokens; card data
 * must never reach our logs or tables, even by mistake in an address line.
 */
export const looksLikeCardNumber = (text: string) => CARD_NUMBER.test(text);
