import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, newIdempotencyKey } from '../api/client';
import { describeError } from '../api/errors';
import type { TransferReceipt, UserProfile } from '../api/types';
import { Card, Field, Money, Select } from '../components/ui';
import { parseMoney } from '../lib/money';

// The server's limits (TransferLimits), checked here first so most mistakes never leave the page.
export const maxAmount = 500_000;
export const maxNoteLength = 280;

// Where each server error belongs in the form.
const fieldOf: Record<string, string> = {
  RECIPIENT_NOT_FOUND: 'to', INVALID_RECIPIENT: 'to', INSUFFICIENT_FUNDS: 'amount', INVALID_AMOUNT: 'amount', DAILY_LIMIT_EXCEEDED: 'amount',
};

/** Usernames matching what is typed, for the recipient field's suggestions. */
export function useUserSearch(query: string): UserProfile[] {
  const [found, setFound] = useState<UserProfile[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) { setFound([]); return; }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api<UserProfile[]>('GET', '/v1/users/search', { query: { q }, signal: controller.signal }).then(setFound, () => {});
    }, 200);
    return () => { window.clearTimeout(timer); controller.abort(); };
  }, [query]);
  return found;
}

export function SendMoney({ onSent }: { onSent: () => void }) {
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [visibility, setVisibility] = useState('friends');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<TransferReceipt>();
  const [busy, setBusy] = useState(false);
  const suggestions = useUserSearch(to);
  const listId = useId();
  // One key per intent: a retry after a network error, or a second click, sends the same key and pays once.
  const key = useRef(newIdempotencyKey());
  const inFlight = useRef(false);
  const edit = (set: (value: string) => void) => (value: string) => { set(value); key.current = newIdempotencyKey(); setDone(undefined); };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    const found: Record<string, string> = {};
    const parsed = parseMoney(amount, 'USD');
    if (!to.trim()) found.to = 'Who gets the money?';
    if ('error' in parsed) found.amount = parsed.error;
    else if (parsed.minor < 1 || parsed.minor > maxAmount) found.amount = 'Send from $0.01 to $5,000.00.';
    if (note.length > maxNoteLength) found.note = `At most ${maxNoteLength} characters.`;
    setErrors(found);
    if (Object.keys(found).length > 0 || 'error' in parsed) return;

    inFlight.current = true;
    setBusy(true);
    try {
      const receipt = await api<TransferReceipt>('POST', '/v1/transfers', {
        body: { to: to.trim(), amount: parsed.minor, currency: 'USD', note, visibility },
        idempotencyKey: key.current,
      });
      setDone(receipt);
      setTo(''); setAmount(''); setNote('');
      key.current = newIdempotencyKey();
      onSent();
    } catch (failed) {
      const code = failed instanceof ApiError ? failed.code : '';
      const field = (failed instanceof ApiError && failed.field) || fieldOf[code] || 'form';
      setErrors({ [field === 'currency' ? 'form' : field]: describeError(failed) + (failed instanceof ApiError && failed.isNetwork ? ' Sending again is safe: you will not pay twice.' : '') });
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <Card title="Send money">
      <form className="stack" onSubmit={submit} aria-label="Send money" noValidate>
        <Field label="To (username)" name="to" list={listId} autoComplete="off" value={to} error={errors.to} onChange={(e) => edit(setTo)(e.target.value)} />
        <datalist id={listId}>
          {suggestions.map((user) => <option key={user.id} value={user.username}>{user.displayName}</option>)}
        </datalist>
        <Field label="Amount (USD)" name="amount" inputMode="decimal" placeholder="0.00" value={amount} error={errors.amount}
          onChange={(e) => edit(setAmount)(e.target.value)} />
        <Field label="Note" name="note" maxLength={maxNoteLength} value={note} error={errors.note} onChange={(e) => edit(setNote)(e.target.value)} />
        <Select label="Who sees it" name="visibility" value={visibility} onChange={(e) => edit(setVisibility)(e.target.value)}
          options={[{ value: 'friends', label: 'Friends' }, { value: 'public', label: 'Everyone' }, { value: 'private', label: 'Only the two of us' }]} />
        {errors.form && <p className="error" role="alert">{errors.form}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Sending…' : 'Send'}</button>
        {done && (
          <p className="success" role="status">
            Sent <Money minor={done.transfer.amount} currency={done.transfer.currency} />. Your balance: <Money minor={done.balance} currency="USD" />.
          </p>
        )}
      </form>
    </Card>
  );
}
