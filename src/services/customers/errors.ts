import { AppError, CommonErrors } from '../../platform/http/app-error.js';

/** Business outcomes the use cases return; each maps to one error below. */
export type CustomersFailureCode =
  | 'CUSTOMERS_EMAIL_TAKEN'
  | 'CUSTOMERS_INVALID_CREDENTIALS'
  | 'CUSTOMERS_REFRESH_TOKEN_INVALID'
  | 'CUSTOMERS_REFRESH_TOKEN_REUSED'
  | 'CUSTOMERS_NOT_FOUND'
  | 'CUSTOMERS_ACCOUNT_NOT_FOUND'
  | 'CUSTOMERS_API_KEY_NOT_FOUND'
  | 'CUSTOMERS_SIGNING_KEY_NOT_FOUND'
  | 'CUSTOMERS_SIGNING_KEY_ACTIVE';

export const CustomersErrors = {
  emailTaken: () =>
    new AppError('CUSTOMERS_EMAIL_TAKEN', 'conflict', 'An account with this email already exists; log in instead, or use another email'),
  // one message for unknown email and wrong password, so the answer does not reveal who has an account
  invalidCredentials: () =>
    new AppError('CUSTOMERS_INVALID_CREDENTIALS', 'unauthorized', 'The email or password is wrong; check both and try again'),
  refreshTokenInvalid: () =>
    new AppError('CUSTOMERS_REFRESH_TOKEN_INVALID', 'unauthorized', 'The refresh token is invalid, expired or revoked; log in again'),
  refreshTokenReused: () =>
    new AppError(
      'CUSTOMERS_REFRESH_TOKEN_REUSED',
      'unauthorized',
      'This refresh token was already used, so every session from that login has been ended for safety; log in again',
    ),
  notFound: () =>
    new AppError('CUSTOMERS_NOT_FOUND', 'not_found', 'No customer account belongs to these credentials; API keys have no account, use a customer token'),
  accountNotFound: (id: string) =>
    new AppError('CUSTOMERS_ACCOUNT_NOT_FOUND', 'not_found', `Customer account ${id} does not exist; check the id`),
  // answered by the auth hook on any route, so the platform lists it (api-error-responses.ts)
  apiKeyInvalid: CommonErrors.apiKeyInvalid,
  apiKeyNotFound: (id: string) =>
    new AppError('CUSTOMERS_API_KEY_NOT_FOUND', 'not_found', `API key ${id} does not exist; list keys with GET /v1/admin/api-keys`),
  signingKeyNotFound: (kid: string) =>
    new AppError('CUSTOMERS_SIGNING_KEY_NOT_FOUND', 'not_found', `Signing key ${kid} does not exist; see /.well-known/jwks.json`),
  signingKeyActive: (kid: string) =>
    new AppError('CUSTOMERS_SIGNING_KEY_ACTIVE', 'conflict', `Signing key ${kid} still signs new tokens; rotate to a new key before retiring it`),

  from(failure: { code: CustomersFailureCode; id?: string }): AppError {
    switch (failure.code) {
      case 'CUSTOMERS_EMAIL_TAKEN':
        return CustomersErrors.emailTaken();
      case 'CUSTOMERS_INVALID_CREDENTIALS':
        return CustomersErrors.invalidCredentials();
      case 'CUSTOMERS_REFRESH_TOKEN_INVALID':
        return CustomersErrors.refreshTokenInvalid();
      case 'CUSTOMERS_REFRESH_TOKEN_REUSED':
        return CustomersErrors.refreshTokenReused();
      case 'CUSTOMERS_NOT_FOUND':
        return CustomersErrors.notFound();
      case 'CUSTOMERS_ACCOUNT_NOT_FOUND':
        return CustomersErrors.accountNotFound(failure.id ?? '');
      case 'CUSTOMERS_API_KEY_NOT_FOUND':
        return CustomersErrors.apiKeyNotFound(failure.id ?? '');
      case 'CUSTOMERS_SIGNING_KEY_NOT_FOUND':
        return CustomersErrors.signingKeyNotFound(failure.id ?? '');
      case 'CUSTOMERS_SIGNING_KEY_ACTIVE':
        return CustomersErrors.signingKeyActive(failure.id ?? '');
    }
  },
};
