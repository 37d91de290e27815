-- Personal data at rest: an account's email and name are stored sealed by the envelope
-- (src/platform/crypto/envelope.ts; the aad binds each value to its column and row), and the
-- email's keyed hash (blind index) answers the lookups that need equality: login by email and
-- "this email is taken". Rows written before this migration are sealed, and their plaintext
-- cleared, by the start-time data step (seal-personal-data.ts), before the service serves.
alter table customers.accounts
  add column email_index text,
  add column email_sealed text,
  add column name_sealed text;

-- the old checks read the plaintext column; these hold before and after the data step
alter table customers.accounts drop constraint accounts_check;
alter table customers.accounts drop constraint accounts_check1;
alter table customers.accounts add constraint accounts_guest_has_no_email
  check ((role = 'guest') = (coalesce(email_index, email) is null));
alter table customers.accounts add constraint accounts_email_has_password
  check ((coalesce(email_index, email) is null) = (password_hash is null));
alter table customers.accounts add constraint accounts_email_sealed_with_index
  check ((email_index is null) = (email_sealed is null));

-- uniqueness moves to the blind index (of the trimmed, lower-cased email); guests have none
create unique index accounts_email_index_unique on customers.accounts (email_index);
drop index customers.accounts_email_unique;
