import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, newIdempotencyKey, type Page } from '../api/client';
import { describeError } from '../api/errors';
import type { Card as PaymentCard, HistoryEntry, Wallet as WalletView } from '../api/types';
import { Card, Empty, ErrorNote, Field, Money, MoreButton, Select, When } from '../components/ui';
import { useLoad, usePaged } from '../lib/hooks';
import { Link } from '../lib/router';
import { parseMoney } from '../lib/money';
import { useNotifications } from '../lib/notifications';
import { SendMoney } from './SendMoney';
import { RequestMoney, RequestsInbox } from './Requests';

export function Wallet() {
  const wallet = useLoad((signal) => api<WalletView>('GET', '/v1/wallet', { signal }), []);
  const history = usePaged(
    (after) => api<Page<HistoryEntry>>('GET', '/v1/wallet/transactions', { query: { startingAfter: after, limit: 20 } }),
    (entry) => entry.id, []);
  // Bumped when this page asks for money, so the list of open requests shows it.
  const [requested, setRequested] = useState(0);
  const refresh = () => { wallet.reload(); history.reload(); };
  useNotifications((notification) => {
    if (['balance_updated', 'payment_received', 'request_paid'].includes(notification.type)) refresh();
  });

  return (
    <main id="main" className="grid">
      <h1 className="sr-only">Wallet</h1>
      <Card title="Balance">
        {wallet.value ? (
          <>
            <p className="balance" data-testid="balance"><Money minor={wallet.value.balance} currency={wallet.value.currency} /></p>
            {wallet.value.held > 0 && <p className="muted">Held for pending payments: <Money minor={wallet.value.held} currency={wallet.value.currency} /></p>}
            {wallet.value.status !== 'active' && <p className="error">This wallet is {wallet.value.status}.</p>}
          </>
        ) : <ErrorNote error={wallet.error} />}
        <Movements onDone={refresh} />
      </Card>
      <SendMoney onSent={refresh} />
      <RequestMoney onRequested={() => setRequested((n) => n + 1)} />
      <RequestsInbox onPaid={refresh} version={requested} />
      <Card title="History">
        <History entries={history.items} hasMore={history.hasMore} loading={history.loading} onMore={history.more} />
        <ErrorNote error={history.error} />
      </Card>
    </main>
  );
}

function History({ entries, hasMore, loading, onMore }: { entries: HistoryEntry[]; hasMore: boolean; loading: boolean; onMore: () => void }) {
  // Infinite: the next page loads when the end of the list scrolls into view (the button stays for keyboards).
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const marker = end.current;
    if (!marker || !hasMore) return;
    const observer = new IntersectionObserver((seen) => { if (seen.some((entry) => entry.isIntersecting)) onMore(); });
    observer.observe(marker);
    return () => observer.disconnect();
  }, [hasMore, onMore]);
  if (entries.length === 0 && !loading) return <Empty>No money has moved yet.</Empty>;
  return (
    <>
      <ul className="list history" aria-label="Wallet history">
        {entries.map((entry) => (
          <li key={entry.id} className="row">
            <span>
              <strong>{entry.type.replace(/_/g, ' ')}</strong>
              {entry.counterparty && counterpartyName(entry.counterparty) && <span className="muted"> · {counterpartyName(entry.counterparty)}</span>}
              <br /><small className="muted"><When at={entry.createdAt} /></small>
              {entry.order && <small className="nowrap"> · <Link to={`/orders/${entry.order}`}>view order</Link></small>}
            </span>
            <span className="right">
              <span className={entry.amount < 0 ? 'debit' : 'credit'}><Money minor={entry.amount} currency="USD" /></span>
              <br /><small className="muted">Balance <Money minor={entry.balanceAfter} currency="USD" /></small>
            </span>
          </li>
        ))}
      </ul>
      <div ref={end} />
      <MoreButton hasMore={hasMore} loading={loading} onMore={onMore} />
    </>
  );
}

// What a history line's other side is called: the API gives "bank", "card", "fees", a merchant id or a user id,
// and ids say nothing to a person.
function counterpartyName(counterparty: string): string | undefined {
  if (counterparty.startsWith('mer_')) return 'merchant';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(counterparty) || /^[a-z]+_[0-9a-f]{16,}$/.test(counterparty)) return undefined;
  return counterparty;
}

/** Add money from the bank; cash out to the bank, or instantly to a debit card for a fee. */
function Movements({ onDone }: { onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const [speed, setSpeed] = useState('standard');
  const [card, setCard] = useState('');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const cards = useLoad((signal) => api<Page<PaymentCard>>('GET', '/v1/cards', { signal }), []);
  const debitCards = (cards.value?.data ?? []).filter((c) => c.status === 'active' && c.kind === 'debit');

  const move = async (direction: 'deposits' | 'withdrawals', event?: FormEvent) => {
    event?.preventDefault();
    const parsed = parseMoney(amount, 'USD');
    if ('error' in parsed) { setError(parsed.error); return; }
    if (parsed.minor < 1) { setError('Enter more than zero.'); return; }
    setBusy(true); setError(undefined); setMessage(undefined);
    const body = direction === 'withdrawals' && speed === 'instant' ? { amount: parsed.minor, speed, card } : { amount: parsed.minor };
    try {
      await api('POST', `/v1/wallet/${direction}`, { body, idempotencyKey: key.current });
      key.current = newIdempotencyKey();
      setMessage(direction === 'deposits' ? 'Money added.' : 'Cash-out on its way.');
      setAmount('');
      onDone();
    } catch (failed) {
      setError(describeError(failed));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => move('deposits', e)} aria-label="Add or cash out money" noValidate>
      <Field label="Amount (USD)" name="movementAmount" inputMode="decimal" value={amount} error={error}
        onChange={(e) => { setAmount(e.target.value); key.current = newIdempotencyKey(); }} />
      <Select label="Cash-out speed" value={speed} onChange={(e) => setSpeed(e.target.value)}
        options={[{ value: 'standard', label: 'Standard (bank, free)' }, ...(debitCards.length ? [{ value: 'instant', label: 'Instant (debit card, fee)' }] : [])]} />
      {speed === 'instant' && (
        <Select label="Debit card" value={card} onChange={(e) => setCard(e.target.value)}
          options={[{ value: '', label: 'Choose a card' }, ...debitCards.map((c) => ({ value: c.id, label: `${c.network} •••• ${c.last4}` }))]} />
      )}
      <div className="actions">
        <button type="submit" disabled={busy}>Add money</button>
        <button type="button" className="secondary" disabled={busy} onClick={() => move('withdrawals')}>Cash out</button>
      </div>
      {message && <p className="success" role="status">{message}</p>}
    </form>
  );
}
