import { api, type Page } from '../../api/client';
import type { BalanceAmount, Payout } from '../../api/types';
import { Card, Empty, ErrorNote, Money, MoreButton, Status, When } from '../../components/ui';
import { useLoad, usePaged } from '../../lib/hooks';

export function BalanceAndPayouts({ merchant }: { merchant: string }) {
  const balance = useLoad((signal) => api<{ available: BalanceAmount[]; pending: BalanceAmount[] }>('GET', '/v1/balance', { signal, query: { merchant } }), [merchant]);
  const payouts = usePaged((after) => api<Page<Payout>>('GET', '/v1/payouts', { query: { merchant, startingAfter: after } }), (p) => p.id, [merchant]);
  const amounts = (list?: BalanceAmount[]) => (list && list.length > 0 ? list.map((a) => <div key={a.currency}><Money minor={a.amount} currency={a.currency} /></div>) : <Money minor={0} currency="USD" />);
  return (
    <section className="grid" aria-label="Balance and payouts">
      <Card title="Balance">
        <ErrorNote error={balance.error} />
        <dl className="stats">
          <div><dt>Available</dt><dd>{amounts(balance.value?.available)}</dd></div>
          <div><dt>Pending</dt><dd>{amounts(balance.value?.pending)}</dd></div>
        </dl>
      </Card>
      <Card title="Payouts">
        {payouts.items.length === 0 ? <Empty>No payouts yet: settled money is paid out daily.</Empty> : (
          <ul className="list">
            {payouts.items.map((p) => <li key={p.id} className="row"><span><Money minor={p.amount} currency={p.currency} /> <Status value={p.status} /></span><When at={p.createdAt} /></li>)}
          </ul>
        )}
        <MoreButton hasMore={payouts.hasMore} loading={payouts.loading} onMore={payouts.more} />
      </Card>
    </section>
  );
}
