import { useRef, useState, type FormEvent } from 'react';
import { api, newIdempotencyKey, type Page } from '../../api/client';
import { describeError } from '../../api/errors';
import type { Payment, PaymentEvent } from '../../api/types';
import { Card, Dialog, ErrorNote, Field, Money, Status, When } from '../../components/ui';
import { useLoad } from '../../lib/hooks';
import { formatMoney, parseMoney, toDecimalText } from '../../lib/money';
import { Link } from '../../lib/router';

type Action = 'capture' | 'void' | 'refund';

export function PaymentDetail({ merchant, id }: { merchant: string; id: string }) {
  const payment = useLoad((signal) => api<Payment>('GET', `/v1/payments/${id}`, { signal, query: { merchant } }), [merchant, id]);
  const events = useLoad((signal) => api<Page<PaymentEvent>>('GET', `/v1/payments/${id}/events`, { signal, query: { merchant } }), [merchant, id]);
  const [action, setAction] = useState<Action>();
  const refresh = () => { payment.reload(); events.reload(); };
  const p = payment.value;

  return (
    <section aria-label="Payment">
      <p><Link to={`/merchant/${merchant}/payments`}>← All payments</Link></p>
      <ErrorNote error={payment.error} />
      {p && (
        <div className="grid">
          <Card title="Payment" actions={
            <div className="actions">
              {p.status === 'requires_capture' && <button type="button" onClick={() => setAction('capture')}>Capture</button>}
              {(p.status === 'requires_capture' || p.status === 'requires_confirmation') && <button type="button" className="secondary" onClick={() => setAction('void')}>Void</button>}
              {p.status === 'succeeded' && p.amountRefunded < p.amountCaptured && <button type="button" className="secondary" onClick={() => setAction('refund')}>Refund</button>}
            </div>
          }>
            <p className="balance"><Money minor={p.amount} currency={p.currency} /> <Status value={p.status} /></p>
            <dl className="facts">
              <dt>Id</dt><dd><code>{p.id}</code></dd>
              <dt>Description</dt><dd>{p.description ?? '—'}</dd>
              <dt>Method</dt><dd>{p.paymentMethod.type === 'card' ? `${p.paymentMethod.brand} •••• ${p.paymentMethod.last4}` : `wallet ${p.paymentMethod.user ?? ''}`}</dd>
              <dt>Captured</dt><dd><Money minor={p.amountCaptured} currency={p.currency} /></dd>
              <dt>Refunded</dt><dd data-testid="refunded"><Money minor={p.amountRefunded} currency={p.currency} /></dd>
              <dt>Fee</dt><dd><Money minor={p.fee} currency={p.currency} /></dd>
              {p.declineCode && <><dt>Decline</dt><dd>{p.declineCode}</dd></>}
              <dt>Created</dt><dd><When at={p.createdAt} /></dd>
            </dl>
          </Card>
          <Card title="Fraud">
            <p>Score <strong>{p.fraud.score}</strong> of 100 · <Status value={p.fraud.outcome} /></p>
            {p.fraud.reasons.length > 0 ? <ul>{p.fraud.reasons.map((r) => <li key={r}>{r.replace(/_/g, ' ')}</li>)}</ul> : <p className="muted">No risk signals.</p>}
          </Card>
          <Card title="Refunds">
            {p.refunds.length === 0 ? <p className="muted">None.</p> : (
              <ul className="list" aria-label="Refunds">
                {p.refunds.map((r) => <li key={r.id} className="row"><span><Money minor={r.amount} currency={p.currency} /> {r.reason && <span className="muted">· {r.reason}</span>}</span><When at={r.createdAt} /></li>)}
              </ul>
            )}
          </Card>
          <Card title="Timeline">
            <ol className="timeline" aria-label="Payment events">
              {(events.value?.data ?? []).map((e) => (
                <li key={e.sequence}><strong>{e.type}</strong>{e.amount != null && <> <Money minor={e.amount} currency={p.currency} /></>} <small className="muted">by {e.actor} · <When at={e.createdAt} /></small></li>
              ))}
            </ol>
          </Card>
          <Dialog title={action ? `${action[0].toUpperCase()}${action.slice(1)} payment` : ''} open={action !== undefined} onClose={() => setAction(undefined)}>
            {action && <ActionForm payment={p} merchant={merchant} action={action} onDone={() => { setAction(undefined); refresh(); }} onCancel={() => setAction(undefined)} />}
          </Dialog>
        </div>
      )}
    </section>
  );
}

function ActionForm({ payment, merchant, action, onDone, onCancel }: { payment: Payment; merchant: string; action: Action; onDone: () => void; onCancel: () => void }) {
  const limit = action === 'capture' ? payment.amountCapturable : payment.amountCaptured - payment.amountRefunded;
  const [amount, setAmount] = useState(toDecimalText(limit, payment.currency));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let minor: number | undefined;
    if (action !== 'void') {
      const parsed = parseMoney(amount, payment.currency);
      if ('error' in parsed) { setError(parsed.error); return; }
      if (parsed.minor < 1 || parsed.minor > limit) { setError(`From ${formatMoney(1, payment.currency)} to ${formatMoney(limit, payment.currency)}.`); return; }
      minor = parsed.minor;
    }
    setBusy(true); setError(undefined);
    try {
      const options = { idempotencyKey: key.current, query: { merchant } };
      if (action === 'refund') await api('POST', '/v1/refunds', { ...options, body: { payment: payment.id, amount: minor, reason: reason || undefined } });
      else if (action === 'capture') await api('POST', `/v1/payments/${payment.id}/capture`, { ...options, body: { amount: minor } });
      else await api('POST', `/v1/payments/${payment.id}/void`, options);
      onDone();
    } catch (failed) {
      setError(describeError(failed));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      {action === 'void' ? <p>Release the authorization: nothing is charged.</p> : (
        <Field label={`Amount (${payment.currency}, up to ${formatMoney(limit, payment.currency)})`} name="actionAmount" inputMode="decimal"
          value={amount} error={error} onChange={(e) => { setAmount(e.target.value); key.current = newIdempotencyKey(); }} />
      )}
      {action === 'refund' && <Field label="Reason (optional)" name="reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />}
      {action === 'void' && error && <p className="error" role="alert">{error}</p>}
      <div className="actions">
        <button type="submit" disabled={busy}>{action === 'refund' ? 'Refund' : action === 'capture' ? 'Capture' : 'Void'}</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
