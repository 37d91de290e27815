/** Deployment secrets of the flash-sales service, stored sealed (the caller seals and opens). */
export interface SecretStore {
  /** the sealed secret stored under `name`, or null */
  find(name: string): Promise<string | null>;
  /** stores `sealed` unless a secret of that name exists (first process wins); answers the stored one */
  insertIfAbsent(name: string, sealed: string): Promise<string>;
  list(): Promise<Array<{ name: string; sealed: string }>>;
  /** compare-and-set: false when the stored value is no longer `expected` (another process changed it) */
  replace(name: string, expected: string, sealed: string): Promise<boolean>;
}
