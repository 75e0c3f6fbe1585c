import { useState, type FormEvent } from 'react';
import { api, type Page } from '../../api/client';
import { fieldError } from '../../api/errors';
import type { Merchant } from '../../api/types';
import { Card, Empty, ErrorNote, Field } from '../../components/ui';
import { useLoad } from '../../lib/hooks';
import { Link, segments, useRoute } from '../../lib/router';
import { Analytics } from './Analytics';
import { ApiKeys } from './ApiKeys';
import { BalanceAndPayouts } from './Balance';
import { Orders, Products } from './Catalog';
import { PaymentDetail } from './PaymentDetail';
import { Payments } from './Payments';
import { Webhooks } from './Webhooks';

const tabs = [
  ['payments', 'Payments'], ['analytics', 'Analytics'], ['products', 'Products'], ['orders', 'Orders'],
  ['balance', 'Balance & payouts'], ['keys', 'API keys'], ['webhooks', 'Webhooks'],
] as const;

/** /merchant, /merchant/{id}/{tab}, /merchant/{id}/payments/{paymentId}: the dashboard of a merchant you own. */
export function Dashboard() {
  const { path } = useRoute();
  const [, merchantId, tab = 'payments', detail] = segments(path);
  const merchants = useLoad((signal) => api<Page<Merchant>>('GET', '/v1/merchants', { signal }), []);
  if (!merchantId) return <MerchantPicker merchants={merchants.value?.data} error={merchants.error} onCreated={merchants.reload} />;
  const merchant = merchants.value?.data.find((m) => m.id === merchantId);

  return (
    <main id="main">
      <h1>{merchant?.name ?? 'Merchant'} <small className="muted">{merchantId}</small></h1>
      <nav className="tabs" aria-label="Dashboard">
        {tabs.map(([name, label]) => <Link key={name} to={`/merchant/${merchantId}/${name}`}>{label}</Link>)}
      </nav>
      {tab === 'payments' && !detail && <Payments merchant={merchantId} />}
      {tab === 'payments' && detail && <PaymentDetail merchant={merchantId} id={detail} />}
      {tab === 'analytics' && <Analytics merchant={merchantId} />}
      {tab === 'products' && <Products merchant={merchantId} currency={merchant?.defaultCurrency ?? 'USD'} />}
      {tab === 'orders' && <Orders merchant={merchantId} />}
      {tab === 'balance' && <BalanceAndPayouts merchant={merchantId} />}
      {tab === 'keys' && <ApiKeys merchant={merchantId} />}
      {tab === 'webhooks' && <Webhooks merchant={merchantId} />}
    </main>
  );
}

function MerchantPicker({ merchants, error, onCreated }: { merchants?: Merchant[]; error: unknown; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [country, setCountry] = useState('US');
  const [failure, setFailure] = useState<unknown>();
  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('POST', '/v1/merchants', { body: { name, country, defaultCurrency: 'USD' } });
      setName('');
      onCreated();
    } catch (failed) {
      setFailure(failed);
    }
  };
  return (
    <main id="main" className="narrow">
      <h1>Your businesses</h1>
      <ErrorNote error={error} />
      <Card title="Merchants">
        {merchants?.length === 0 ? <Empty>You have no merchant yet.</Empty> : (
          <ul className="list">{merchants?.map((m) => <li key={m.id}><Link to={`/merchant/${m.id}/payments`}>{m.name}</Link> <span className="muted">{m.id}</span></li>)}</ul>
        )}
      </Card>
      <Card title="Create a merchant">
        <form className="stack" onSubmit={create} aria-label="Create a merchant">
          <Field label="Business name" value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} error={fieldError(failure, 'name')} />
          <Field label="Country (ISO code)" value={country} required maxLength={2} onChange={(e) => setCountry(e.target.value.toUpperCase())} error={fieldError(failure, 'country')} />
          {!fieldError(failure, 'name') && !fieldError(failure, 'country') && <ErrorNote error={failure} />}
          <button type="submit">Create</button>
        </form>
      </Card>
    </main>
  );
}
