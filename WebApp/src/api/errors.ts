import { ApiError } from './client';

// What people read for the server's error codes; the server's own message where no better wording exists.
const messages: Record<string, string> = {
  INSUFFICIENT_FUNDS: 'Your balance is too low for this payment.',
  RECIPIENT_NOT_FOUND: 'No one has that username.',
  INVALID_RECIPIENT: 'You cannot send money to yourself.',
  DAILY_LIMIT_EXCEEDED: 'This would go over your daily sending limit.',
  ACCOUNT_FROZEN: 'This wallet is frozen. Contact support.',
  INVALID_CREDENTIALS: 'Unknown username or wrong password.',
  USERNAME_TAKEN: 'That username is taken.',
  TOO_MANY_ATTEMPTS: 'Too many attempts. Wait a moment and try again.',
  ACCOUNT_LOCKED: 'Too many failed sign-ins: this account is locked for a while.',
  RATE_LIMITED: 'Too many requests. Wait a moment and try again.',
  OUT_OF_STOCK: 'Not enough of this product is left.',
  PRODUCT_UNAVAILABLE: 'This product is no longer sold.',
  CARD_DECLINED: 'The card was declined.',
  FUNDING_DECLINED: 'Your funding source declined the top-up.',
  VERIFICATION_FAILED: 'That code is not right.',
  VERIFICATION_LOCKED: 'Too many wrong codes. Wait a while and try again.',
  UNSUPPORTED_CARD: 'This card network is not supported.',
  INVALID_CARD: 'Check the card number, expiry and security code.',
  CARD_ALREADY_ADDED: 'This card is already on this device.',
  NETWORK_UNAVAILABLE: 'The card network is not answering. Try again shortly.',
  SERVICE_UNAVAILABLE: 'The service is busy. Try again shortly.',
  REFUND_EXCEEDS_CAPTURED: 'That is more than what is left to refund.',
  CSRF_REJECTED: 'Your session could not be verified. Reload the page.',
  UNAUTHENTICATED: 'Please sign in again.',
};

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return messages[error.code] ?? error.message;
  return 'Something went wrong. Try again.';
}

/** The error's message if it concerns <paramref name="field"/>. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? describeError(error) : undefined;
}
