import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney, toDecimalText } from './money';

describe('money', () => {
  it('writes minor units as exact decimal text', () => {
    expect(toDecimalText(123456, 'USD')).toBe('1234.56');
    expect(toDecimalText(5, 'USD')).toBe('0.05');
    expect(toDecimalText(-1999, 'USD')).toBe('-19.99');
    expect(toDecimalText(500, 'JPY')).toBe('500');
  });

  it('formats in the locale without rounding through a double', () => {
    expect(formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
    expect(formatMoney(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
    // 2^53 + 1 cents cannot be a double; the text path keeps every digit.
    expect(formatMoney(900719925474099, 'USD', 'en-US')).toBe('$9,007,199,254,740.99');
  });

  it('parses what people type into minor units', () => {
    expect(parseMoney('12', 'USD')).toEqual({ minor: 1200 });
    expect(parseMoney('12.5', 'USD')).toEqual({ minor: 1250 });
    expect(parseMoney('$1,234.56', 'USD')).toEqual({ minor: 123456 });
    expect(parseMoney('.07', 'USD')).toEqual({ minor: 7 });
    expect(parseMoney('0.1', 'USD')).toEqual({ minor: 10 });
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', 'abc', '1.234', '1e3', '-5', '12.3.4', '.']) {
      expect(parseMoney(bad, 'USD')).toHaveProperty('error');
    }
    expect(parseMoney('12.5', 'JPY')).toHaveProperty('error');
  });
});
