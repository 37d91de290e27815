import { z } from 'zod';

/** Money is integer minor units plus an ISO 4217 code; never floats. */
export const moneySchema = z.strictObject({
  amount: z.number().int().min(0).max(1_000_000_000_00),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
});
export type Money = z.infer<typeof moneySchema>;

export const money = (amount: number, currency: string): Money => ({ amount, currency });

export function sumMoney(values: Money[], currency: string): Money {
  for (const v of values) if (v.currency !== currency) throw new Error(`cannot add ${v.currency} to ${currency}`);
  return { amount: values.reduce((total, v) => total + v.amount, 0), currency };
}
