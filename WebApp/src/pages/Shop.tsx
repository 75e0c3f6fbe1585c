import { useEffect, useRef, useState } from 'react';
import { api, newIdempotencyKey, type Page } from '../api/client';
import { describeError } from '../api/errors';
import type { Card as PaymentCard, Order, Product } from '../api/types';
import { Card, Empty, ErrorNote, Field, Money, MoreButton, Select, Status, When } from '../components/ui';
import { useLoad, usePaged } from '../lib/hooks';
import { Link, useRoute } from '../lib/router';

const terminal = new Set(['fulfilled', 'failed', 'canceled', 'refunded']);

export function Shop() {
  const { path } = useRoute();
  const merchant = new URLSearchParams(path.split('?')[1] ?? '').get('merchant') ?? '';
  const [query, setQuery] = useState('');
  const products = usePaged(
    (after) => api<Page<Product>>('GET', '/v1/products', { query: { merchant, q: query, startingAfter: after, limit: 24 } }),
    (p) => p.id, [merchant, query]);
  // The buyer's cards are the same for every tile: read once for the page.
  const cards = useLoad((signal) => api<Page<PaymentCard>>('GET', '/v1/cards', { signal }), []);
  const activeCards = (cards.value?.data ?? []).filter((c) => c.status === 'active');
  return (
    <main id="main">
      <h1>Shop</h1>
      <Field label="Search products" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      {products.items.length === 0 && !products.loading && <Empty>No products found.</Empty>}
      <ul className="products" aria-label="Products">
        {products.items.map((product) => <ProductTile key={product.id} product={product} cards={activeCards} />)}
      </ul>
      <MoreButton hasMore={products.hasMore} loading={products.loading} onMore={products.more} />
      <MyOrders />
    </main>
  );
}

function ProductTile({ product, cards }: { product: Product; cards: PaymentCard[] }) {
  const { navigate } = useRoute();
  const [quantity, setQuantity] = useState('1');
  const [method, setMethod] = useState('wallet');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());

  const buy = async () => {
    const units = Number(quantity);
    if (!Number.isInteger(units) || units < 1 || units > product.unitsAvailable) {
      setError(new Error(`Choose 1 to ${product.unitsAvailable}.`));
      return;
    }
    setBusy(true); setError(undefined);
    try {
      const paymentMethod = method === 'wallet' ? { type: 'wallet' } : { type: 'card', card: method };
      const order = await api<Order>('POST', '/v1/orders', { body: { items: [{ product: product.id, quantity: units }], paymentMethod }, idempotencyKey: key.current });
      key.current = newIdempotencyKey();
      navigate(`/orders/${order.id}`);
    } catch (failed) {
      setError(failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="card product">
      <h2>{product.name}</h2>
      <p>{product.description}</p>
      <p className="price"><Money minor={product.price} currency={product.currency} /></p>
      <p className="muted">{product.unitsAvailable > 0 ? `${product.unitsAvailable} left` : 'Sold out'}</p>
      {product.unitsAvailable > 0 && (
        <div className="stack">
          <Field label="Quantity" type="number" min={1} max={product.unitsAvailable} value={quantity} onChange={(e) => { setQuantity(e.target.value); key.current = newIdempotencyKey(); }} />
          <Select label="Pay with" value={method} onChange={(e) => { setMethod(e.target.value); key.current = newIdempotencyKey(); }}
            options={[{ value: 'wallet', label: 'Wallet balance' }, ...cards.map((c) => ({ value: c.id, label: `${c.network} •••• ${c.last4}` }))]} />
          <button type="button" disabled={busy} onClick={buy}>{busy ? 'Ordering…' : 'Buy'}</button>
        </div>
      )}
      {error instanceof Error && !('code' in error) ? <p className="error" role="alert">{error.message}</p> : <ErrorNote error={error} />}
    </li>
  );
}

function MyOrders() {
  const orders = usePaged((after) => api<Page<Order>>('GET', '/v1/orders', { query: { startingAfter: after } }), (o) => o.id, []);
  return (
    <Card title="Your orders">
      {orders.items.length === 0 ? <Empty>No orders yet.</Empty> : (
        <ul className="list">
          {orders.items.map((o) => (
            <li key={o.id} className="row">
              <Link to={`/orders/${o.id}`}>{o.lines.map((l) => l.name).join(', ')}</Link>
              <span><Money minor={o.amount} currency={o.currency} /> <Status value={o.status} /></span>
            </li>
          ))}
        </ul>
      )}
      <MoreButton hasMore={orders.hasMore} loading={orders.loading} onMore={orders.more} />
    </Card>
  );
}

/** One order, followed live until its saga ends. */
export function OrderPage({ id }: { id: string }) {
  const order = useLoad((signal) => api<Order>('GET', `/v1/orders/${id}`, { signal }), [id]);
  const [error, setError] = useState<string>();
  const status = order.value?.status;
  useEffect(() => {
    if (!status || terminal.has(status)) return;
    const timer = window.setInterval(order.reload, 1000);
    return () => window.clearInterval(timer);
  }, [status, order.reload]);

  const cancel = async () => {
    try {
      await api('POST', `/v1/orders/${id}/cancel`);
      order.reload();
    } catch (failed) {
      setError(describeError(failed));
    }
  };

  const o = order.value;
  return (
    <main id="main" className="narrow">
      <h1>Order</h1>
      <ErrorNote error={order.error} />
      {o && (
        <Card title={o.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}>
          <p>Status: <Status value={o.status} /> {!terminal.has(o.status) && <span className="muted">(updating…)</span>}</p>
          <p>Total <Money minor={o.amount} currency={o.currency} /> · paid by {o.paymentMethod.type}</p>
          {o.licenseKey && <p>License key: <code>{o.licenseKey}</code></p>}
          {o.failure && <p className="error">{o.failure.message}</p>}
          {o.transactions && o.transactions.length > 0 && (
            <ul className="list" aria-label="Ledger transactions">
              {o.transactions.map((t) => (
                <li key={t.id} className="row">
                  <span><strong>{t.type}</strong> <small className="muted"><When at={t.createdAt} /></small><br /><small className="muted">{t.id}</small></span>
                  <Money minor={t.amount} currency={t.currency} />
                </li>
              ))}
            </ul>
          )}
          <SagaTimeline steps={o.saga} />
          {(o.status === 'pending' || o.status === 'paid') && <button type="button" className="danger" onClick={cancel}>Cancel order</button>}
          {error && <p className="error" role="alert">{error}</p>}
        </Card>
      )}
    </main>
  );
}

export function SagaTimeline({ steps }: { steps: Order['saga'] }) {
  if (steps.length === 0) return null;
  return (
    <ol className="timeline" aria-label="Order steps">
      {steps.map((step, index) => (
        <li key={index}><strong>{step.step.replace(/_/g, ' ')}</strong> <Status value={step.outcome} /> <small className="muted"><When at={step.at} /></small>
          {step.detail && <div className="muted">{step.detail}</div>}</li>
      ))}
    </ol>
  );
}
