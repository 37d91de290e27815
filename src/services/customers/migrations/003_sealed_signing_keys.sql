-- Private signing keys are kept sealed (envelope encryption, src/platform/crypto/): a copy of the
-- database or a backup no longer lets anyone forge tokens. Rows written before this migration keep
-- their plaintext private_jwk only until the start-time step (seal-signing-keys.ts) seals them.
alter table customers.signing_keys add column private_key_sealed text;
alter table customers.signing_keys alter column private_jwk drop not null;
alter table customers.signing_keys
  add constraint signing_keys_private_key_present check (private_jwk is not null or private_key_sealed is not null);
