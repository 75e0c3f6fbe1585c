import { useRef, useState, type FormEvent } from 'react';
import { api, newIdempotencyKey, type Page } from '../api/client';
import { describeError } from '../api/errors';
import type { PaymentRequest } from '../api/types';
import { Card, Empty, Field, Money, When } from '../components/ui';
import { usePaged } from '../lib/hooks';
import { parseMoney } from '../lib/money';
import { useNotifications } from '../lib/notifications';
import { maxAmount, maxNoteLength, useUserSearch } from './SendMoney';

export function RequestMoney({ onRequested }: { onRequested: () => void }) {
  const [from, setFrom] = useState('');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const suggestions = useUserSearch(from);
  const key = useRef(newIdempotencyKey());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseMoney(amount, 'USD');
    const found: Record<string, string> = {};
    if (!from.trim()) found.from = 'Who should pay?';
    if ('error' in parsed) found.amount = parsed.error;
    else if (parsed.minor < 1 || parsed.minor > maxAmount) found.amount = 'Ask for $0.01 to $5,000.00.';
    if (note.length > maxNoteLength) found.note = `At most ${maxNoteLength} characters.`;
    setErrors(found);
    if (Object.keys(found).length > 0 || 'error' in parsed) return;
    setBusy(true);
    try {
      await api('POST', '/v1/requests', { body: { from: from.trim(), amount: parsed.minor, note }, idempotencyKey: key.current });
      key.current = newIdempotencyKey();
      setSent(true); setFrom(''); setAmount(''); setNote('');
      onRequested();
    } catch (failed) {
      const field = (failed as { field?: string }).field;
      setErrors({ [field === 'from' || field === 'amount' || field === 'note' ? field : 'form']: describeError(failed) });
    } finally {
      setBusy(false);
    }
  };

  const edit = (set: (v: string) => void) => (v: string) => { set(v); setSent(false); key.current = newIdempotencyKey(); };
  return (
    <Card title="Request money">
      <form className="stack" onSubmit={submit} aria-label="Request money" noValidate>
        <Field label="From (username)" name="from" list="request-from" autoComplete="off" value={from} error={errors.from} onChange={(e) => edit(setFrom)(e.target.value)} />
        <datalist id="request-from">{suggestions.map((u) => <option key={u.id} value={u.username}>{u.displayName}</option>)}</datalist>
        <Field label="Amount (USD)" name="requestAmount" inputMode="decimal" value={amount} error={errors.amount} onChange={(e) => edit(setAmount)(e.target.value)} />
        <Field label="What for" name="requestNote" value={note} error={errors.note} onChange={(e) => edit(setNote)(e.target.value)} />
        {errors.form && <p className="error" role="alert">{errors.form}</p>}
        <button type="submit" disabled={busy}>Request</button>
        {sent && <p className="success" role="status">Request sent.</p>}
      </form>
    </Card>
  );
}

/** Requests others sent me (pay or decline) and mine that are still open. */
export function RequestsInbox({ onPaid, version }: { onPaid: () => void; version: number }) {
  const received = usePaged((after) => api<Page<PaymentRequest>>('GET', '/v1/requests', { query: { role: 'received', status: 'pending', startingAfter: after } }), (r) => r.id, []);
  const mine = usePaged((after) => api<Page<PaymentRequest>>('GET', '/v1/requests', { query: { role: 'sent', status: 'pending', startingAfter: after } }), (r) => r.id, [version]);
  const [error, setError] = useState<string>();
  const keys = useRef(new Map<string, string>());
  useNotifications((n) => { if (n.type.startsWith('request') || n.type === 'payment_request') { received.reload(); mine.reload(); } });

  const act = async (request: PaymentRequest, action: 'pay' | 'decline' | 'cancel') => {
    const id = `${request.id}:${action}`;
    if (!keys.current.has(id)) keys.current.set(id, newIdempotencyKey());
    setError(undefined);
    try {
      await api('POST', `/v1/requests/${request.id}/${action}`, { idempotencyKey: keys.current.get(id) });
      received.reload(); mine.reload();
      if (action === 'pay') onPaid();
    } catch (failed) {
      setError(describeError(failed));
    }
  };

  return (
    <Card title="Requests">
      {error && <p className="error" role="alert">{error}</p>}
      <h3>To pay</h3>
      {received.items.length === 0 ? <Empty>Nobody is asking you for money.</Empty> : (
        <ul className="list" aria-label="Requests to pay">
          {received.items.map((r) => (
            <li key={r.id} className="row">
              <span><Money minor={r.amount} currency={r.currency} /> · {r.note || 'no note'}<br /><small className="muted"><When at={r.createdAt} /></small></span>
              <span className="actions">
                <button type="button" onClick={() => act(r, 'pay')}>Pay</button>
                <button type="button" className="secondary" onClick={() => act(r, 'decline')}>Decline</button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>You asked for</h3>
      {mine.items.length === 0 ? <Empty>No open requests.</Empty> : (
        <ul className="list" aria-label="Your open requests">
          {mine.items.map((r) => (
            <li key={r.id} className="row">
              <span><Money minor={r.amount} currency={r.currency} /> · {r.note || 'no note'}</span>
              <button type="button" className="secondary" onClick={() => act(r, 'cancel')}>Cancel</button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
