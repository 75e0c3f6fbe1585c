// Money in the client is integer minor units (cents) from end to end: formatting and parsing work on the decimal
// digits as text, never through a floating-point number.

/** How many fraction digits a currency's minor unit has (USD 2, JPY 0). */
export function fractionDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** The exact decimal text of an amount of minor units, e.g. 123456 USD → "1234.56". */
export function toDecimalText(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new Error('Amounts are integers of minor units.');
  const digits = fractionDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = Math.abs(minor).toString().padStart(digits + 1, '0');
  return digits === 0 ? sign + text : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** An amount of minor units in the user's locale, e.g. 123456 USD → "$1,234.56". */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  // Intl formats a decimal string exactly (no conversion to a double on the way).
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency }) as Intl.NumberFormat & {
    format(value: number | bigint | `${number}`): string;
  };
  return format.format(toDecimalText(minor, currency) as `${number}`);
}

/**
 * What the user typed ("12", "12.5", "1,234.56", "$3") as minor units, or an error message. Accepts at most the
 * currency's fraction digits and a thousands separator of commas; refuses anything else rather than guess.
 */
export function parseMoney(input: string, currency: string): { minor: number } | { error: string } {
  const digits = fractionDigits(currency);
  const text = input.trim().replace(/^\$/, '').replace(/,/g, '');
  const pattern = digits === 0 ? /^(\d+)$/ : new RegExp(`^(\\d*)(?:\\.(\\d{1,${digits}}))?$`);
  const match = pattern.exec(text);
  if (!text || !match || (match[1] === '' && !match[2])) {
    return { error: digits === 0 ? 'Enter a whole amount, e.g. 12.' : `Enter an amount like 12.50 (at most ${digits} decimals).` };
  }
  const whole = match[1] || '0';
  const fraction = (match[2] ?? '').padEnd(digits, '0');
  if (whole.length > 12) return { error: 'That amount is too large.' };
  const minor = Number(whole + fraction);
  return { minor };
}
