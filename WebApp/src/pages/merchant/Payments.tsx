import { useState, type FormEvent } from 'react';
import { api, type Page } from '../../api/client';
import type { Payment } from '../../api/types';
import { Empty, ErrorNote, Field, Money, MoreButton, Select, Status, When } from '../../components/ui';
import { usePaged } from '../../lib/hooks';
import { parseMoney } from '../../lib/money';
import { Link } from '../../lib/router';

const statuses = ['', 'requires_confirmation', 'requires_capture', 'succeeded', 'canceled', 'failed'];

interface Filters { status: string; from: string; to: string; min: string; max: string; q: string }

export function Payments({ merchant }: { merchant: string }) {
  const [draft, setDraft] = useState<Filters>({ status: '', from: '', to: '', min: '', max: '', q: '' });
  const [filters, setFilters] = useState(draft);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const payments = usePaged(
    (after) => {
      const min = filters.min ? parseMoney(filters.min, 'USD') : undefined;
      const max = filters.max ? parseMoney(filters.max, 'USD') : undefined;
      return api<Page<Payment>>('GET', '/v1/payments', {
        query: {
          merchant, status: filters.status, q: filters.q, startingAfter: after, limit: 25,
          'created[gte]': filters.from ? new Date(filters.from).toISOString() : undefined,
          'created[lt]': filters.to ? new Date(new Date(filters.to).getTime() + 86_400_000).toISOString() : undefined,
          'amount[gte]': min && 'minor' in min ? min.minor : undefined,
          'amount[lte]': max && 'minor' in max ? max.minor : undefined,
        },
      });
    },
    (p) => p.id, [merchant, filters]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const field of ['min', 'max'] as const) {
      const parsed = draft[field] ? parseMoney(draft[field], 'USD') : undefined;
      if (parsed && 'error' in parsed) found[field] = parsed.error;
    }
    setInvalid(found);
    if (Object.keys(found).length === 0) setFilters(draft);
  };
  const set = (field: keyof Filters) => (value: string) => setDraft({ ...draft, [field]: value });

  return (
    <section aria-label="Payments">
      <form className="filters" onSubmit={apply} aria-label="Filter payments">
        <Field label="Search (id or description)" type="search" value={draft.q} onChange={(e) => set('q')(e.target.value)} />
        <Select label="Status" value={draft.status} onChange={(e) => set('status')(e.target.value)}
          options={statuses.map((s) => ({ value: s, label: s ? s.replace(/_/g, ' ') : 'Any' }))} />
        <Field label="From" type="date" value={draft.from} onChange={(e) => set('from')(e.target.value)} />
        <Field label="To" type="date" value={draft.to} onChange={(e) => set('to')(e.target.value)} />
        <Field label="Min amount" inputMode="decimal" value={draft.min} error={invalid.min} onChange={(e) => set('min')(e.target.value)} />
        <Field label="Max amount" inputMode="decimal" value={draft.max} error={invalid.max} onChange={(e) => set('max')(e.target.value)} />
        <button type="submit">Apply</button>
      </form>
      <ErrorNote error={payments.error} />
      {payments.items.length === 0 && !payments.loading ? <Empty>No payments match.</Empty> : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Payments, newest first</caption>
            <thead><tr><th scope="col">Payment</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Method</th><th scope="col">Fraud</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {payments.items.map((p) => (
                <tr key={p.id} data-payment={p.id}>
                  <td><Link to={`/merchant/${merchant}/payments/${p.id}`}>{p.description || p.id}</Link></td>
                  <td className="num"><Money minor={p.amount} currency={p.currency} /></td>
                  <td><Status value={p.status} /></td>
                  <td>{p.paymentMethod.type === 'card' ? `${p.paymentMethod.brand ?? 'card'} •••• ${p.paymentMethod.last4 ?? ''}` : p.paymentMethod.type}</td>
                  <td className="num">{p.fraud.score}</td>
                  <td><When at={p.createdAt} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoreButton hasMore={payments.hasMore} loading={payments.loading} onMore={payments.more} />
    </section>
  );
}
