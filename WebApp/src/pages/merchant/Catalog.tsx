import { useState, type FormEvent } from 'react';
import { api, type Page } from '../../api/client';
import { describeError, fieldError } from '../../api/errors';
import type { Order, Product } from '../../api/types';
import { Card, Empty, ErrorNote, Field, Money, MoreButton, Select, Status, When } from '../../components/ui';
import { usePaged } from '../../lib/hooks';
import { parseMoney } from '../../lib/money';
import { SagaTimeline } from '../Shop';

export function Products({ merchant, currency }: { merchant: string; currency: string }) {
  const products = usePaged((after) => api<Page<Product>>('GET', '/v1/products', { query: { merchant, startingAfter: after, limit: 50 } }), (p) => p.id, [merchant]);
  const [error, setError] = useState<string>();
  const restock = async (product: Product, units: number) => {
    try {
      await api('POST', `/v1/products/${product.id}/restock`, { body: { units } });
      products.reload();
    } catch (failed) {
      setError(describeError(failed));
    }
  };
  return (
    <section className="grid" aria-label="Products">
      <NewProduct merchant={merchant} currency={currency} onCreated={products.reload} />
      <Card title="Products">
        {error && <p className="error" role="alert">{error}</p>}
        {products.items.length === 0 ? <Empty>No products yet.</Empty> : (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Name</th><th scope="col">Price</th><th scope="col">In stock</th><th scope="col">Restock</th></tr></thead>
              <tbody>
                {products.items.map((p) => (
                  <tr key={p.id}>
                    <td>{p.name}</td>
                    <td className="num"><Money minor={p.price} currency={p.currency} /></td>
                    <td className="num">{p.unitsAvailable}</td>
                    <td><RestockForm product={p} onRestock={restock} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <MoreButton hasMore={products.hasMore} loading={products.loading} onMore={products.more} />
      </Card>
    </section>
  );
}

function RestockForm({ product, onRestock }: { product: Product; onRestock: (p: Product, units: number) => void }) {
  const [units, setUnits] = useState('10');
  return (
    <form className="inline" onSubmit={(e) => { e.preventDefault(); const n = Number(units); if (Number.isInteger(n) && n > 0) onRestock(product, n); }}>
      <Field label={`Units to add to ${product.name}`} type="number" min={1} value={units} onChange={(e) => setUnits(e.target.value)} />
      <button type="submit" className="secondary">Add</button>
    </form>
  );
}

function NewProduct({ merchant, currency, onCreated }: { merchant: string; currency: string; onCreated: () => void }) {
  const [form, setForm] = useState({ name: '', description: '', price: '', units: '10' });
  const [error, setError] = useState<unknown>();
  const [priceError, setPriceError] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const price = parseMoney(form.price, currency);
    if ('error' in price) { setPriceError(price.error); return; }
    setPriceError(undefined);
    try {
      await api('POST', '/v1/products', { query: { merchant }, body: { name: form.name, description: form.description, price: price.minor, currency, units: Number(form.units) } });
      setForm({ name: '', description: '', price: '', units: '10' });
      onCreated();
    } catch (failed) {
      setError(failed);
    }
  };
  const set = (field: keyof typeof form) => (value: string) => setForm({ ...form, [field]: value });
  return (
    <Card title="New product">
      <form className="stack" onSubmit={submit} aria-label="New product" noValidate>
        <Field label="Name" value={form.name} onChange={(e) => set('name')(e.target.value)} error={fieldError(error, 'name')} />
        <Field label="Description" value={form.description} onChange={(e) => set('description')(e.target.value)} error={fieldError(error, 'description')} />
        <Field label={`Price (${currency})`} inputMode="decimal" value={form.price} onChange={(e) => set('price')(e.target.value)} error={priceError ?? fieldError(error, 'price')} />
        <Field label="Units" type="number" min={0} value={form.units} onChange={(e) => set('units')(e.target.value)} error={fieldError(error, 'units')} />
        {!['name', 'description', 'price', 'units'].some((f) => fieldError(error, f)) && <ErrorNote error={error} />}
        <button type="submit">Create product</button>
      </form>
    </Card>
  );
}

export function Orders({ merchant }: { merchant: string }) {
  const [status, setStatus] = useState('');
  const orders = usePaged((after) => api<Page<Order>>('GET', '/v1/orders', { query: { merchant, status, startingAfter: after } }), (o) => o.id, [merchant, status]);
  const [open, setOpen] = useState<string>();
  return (
    <section aria-label="Orders">
      <Select label="Status" value={status} onChange={(e) => setStatus(e.target.value)}
        options={['', 'pending', 'paid', 'fulfilled', 'failed', 'canceled', 'refunded'].map((s) => ({ value: s, label: s || 'Any' }))} />
      <ErrorNote error={orders.error} />
      {orders.items.length === 0 ? <Empty>No orders.</Empty> : (
        <ul className="list" aria-label="Orders">
          {orders.items.map((o) => (
            <li key={o.id}>
              <div className="row">
                <span>{o.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}<br /><small className="muted"><When at={o.createdAt} /> · {o.id}</small></span>
                <span><Money minor={o.amount} currency={o.currency} /> <Status value={o.status} />{' '}
                  <button type="button" className="secondary" aria-expanded={open === o.id} onClick={() => setOpen(open === o.id ? undefined : o.id)}>Steps</button></span>
              </div>
              {open === o.id && <SagaTimeline steps={o.saga} />}
            </li>
          ))}
        </ul>
      )}
      <MoreButton hasMore={orders.hasMore} loading={orders.loading} onMore={orders.more} />
    </section>
  );
}
