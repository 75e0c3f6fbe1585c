import { useState, type FormEvent } from 'react';
import { api, newIdempotencyKey, type Page } from '../api/client';
import { describeError, fieldError } from '../api/errors';
import type { Card as PaymentCard, Device, FundingSource, VerificationRequired } from '../api/types';
import { Card, Empty, ErrorNote, Field, Select, Status } from '../components/ui';
import { useLoad } from '../lib/hooks';

/** Luhn's check, as the server does it, so a typo is caught before the network sees the number. */
export function passesLuhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) { digit *= 2; if (digit > 9) digit -= 9; }
    sum += digit;
  }
  return number.length >= 12 && sum % 10 === 0;
}

export function Cards() {
  const devices = useLoad((signal) => api<Page<Device>>('GET', '/v1/devices', { signal }), []);
  const cards = useLoad((signal) => api<Page<PaymentCard>>('GET', '/v1/cards', { signal }), []);
  const sources = useLoad((signal) => api<Page<FundingSource>>('GET', '/v1/funding_sources', { signal }), []);
  const [error, setError] = useState<unknown>();
  const refresh = () => { devices.reload(); cards.reload(); sources.reload(); };

  const act = async (method: string, path: string, body?: unknown) => {
    setError(undefined);
    try {
      await api(method, path, { body });
      refresh();
    } catch (failed) {
      setError(failed);
    }
  };

  const deviceList = devices.value?.data ?? [];
  const cardList = cards.value?.data ?? [];
  return (
    <main id="main" className="grid">
      <h1 className="span">Cards and devices</h1>
      <ErrorNote error={error} />
      <AddDevice onAdded={refresh} />
      <AddCard devices={deviceList.filter((d) => d.status === 'active')} onAdded={refresh} />
      <Card title="Your cards">
        {cardList.length === 0 ? <Empty>No cards yet.</Empty> : (
          <ul className="list" aria-label="Your cards">
            {cardList.map((card) => (
              <li key={card.id} className="row" data-card={card.id}>
                <span>
                  <strong>{card.network} •••• {card.last4}</strong> {card.isDefault && <span className="badge">default</span>}
                  <br /><small className="muted">{deviceList.find((d) => d.id === card.deviceId)?.name ?? card.deviceId} · expires {String(card.expMonth).padStart(2, '0')}/{card.expYear}</small>
                  <br /><Status value={card.status} />
                </span>
                <span className="actions">
                  {card.status === 'active' && <button type="button" className="secondary" onClick={() => act('POST', `/v1/cards/${card.id}/suspend`, { reason: 'user_request' })}>Suspend</button>}
                  {card.status === 'suspended' && <button type="button" className="secondary" onClick={() => act('POST', `/v1/cards/${card.id}/reactivate`)}>Reactivate</button>}
                  {card.status === 'active' && !card.isDefault && <button type="button" className="secondary" onClick={() => act('POST', `/v1/cards/${card.id}/default`)}>Make default</button>}
                  {card.status === 'pending_verification' && <VerifyCard cardId={card.id} onVerified={refresh} />}
                  {card.status !== 'removed' && <button type="button" className="danger" onClick={() => act('DELETE', `/v1/cards/${card.id}`)}>Remove</button>}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Devices">
        {deviceList.length === 0 ? <Empty>Add a device to put cards on it.</Empty> : (
          <ul className="list" aria-label="Your devices">
            {deviceList.map((device) => (
              <li key={device.id} className="row">
                <span>{device.name} <span className="muted">({device.platform})</span> <Status value={device.status} /></span>
                {device.status === 'active' && <button type="button" className="danger" onClick={() => act('POST', `/v1/devices/${device.id}/lost`)}>Report lost</button>}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Funding source">
        <p className="muted">Pays the rest when a payment is larger than your balance.</p>
        <ul className="list" aria-label="Funding sources">
          {(sources.value?.data ?? []).map((source) => (
            <li key={source.id} className="row">
              <span>{source.description} {source.isDefault && <span className="badge">default</span>}</span>
              {!source.isDefault && <button type="button" className="secondary" onClick={() => act('POST', `/v1/funding_sources/${source.id}/default`)}>Use</button>}
            </li>
          ))}
        </ul>
        <button type="button" className="secondary" onClick={() => act('DELETE', '/v1/funding_sources/default')}>Use none</button>
      </Card>
    </main>
  );
}

function AddDevice({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [platform, setPlatform] = useState('ios');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('POST', '/v1/devices', { body: { name, platform } });
      setName('');
      onAdded();
    } catch (failed) {
      setError(failed);
    }
  };
  return (
    <Card title="Add a device">
      <form className="stack" onSubmit={submit} aria-label="Add a device">
        <Field label="Device name" name="deviceName" value={name} required maxLength={64} onChange={(e) => setName(e.target.value)} error={fieldError(error, 'name')} />
        <Select label="Platform" value={platform} onChange={(e) => setPlatform(e.target.value)}
          options={[{ value: 'ios', label: 'iOS' }, { value: 'android', label: 'Android' }, { value: 'watch', label: 'Watch' }, { value: 'web', label: 'Web' }]} />
        {!fieldError(error, 'name') && <ErrorNote error={error} />}
        <button type="submit">Add device</button>
      </form>
    </Card>
  );
}

function AddCard({ devices, onAdded }: { devices: Device[]; onAdded: () => void }) {
  const [form, setForm] = useState({ deviceId: '', number: '', expiry: '', cvc: '', cardholderName: '' });
  const [checks, setChecks] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState<VerificationRequired>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const set = (field: keyof typeof form) => (value: string) => { setForm({ ...form, [field]: value }); setKey(newIdempotencyKey()); };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const number = form.number.replace(/[\s-]/g, '');
    const expiry = /^(\d{2})\s*\/\s*(\d{2}|\d{4})$/.exec(form.expiry.trim());
    const found: Record<string, string> = {};
    const deviceId = form.deviceId || devices[0]?.id;
    if (!deviceId) found.deviceId = 'Add a device first.';
    if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) found.number = 'This card number is not valid.';
    if (!expiry || Number(expiry[1]) < 1 || Number(expiry[1]) > 12) found.expiry = 'Use MM/YY.';
    if (!/^\d{3,4}$/.test(form.cvc)) found.cvc = '3 or 4 digits.';
    if (!form.cardholderName.trim()) found.cardholderName = 'The name on the card.';
    setChecks(found);
    if (Object.keys(found).length > 0 || !expiry) return;
    const year = expiry[2].length === 2 ? 2000 + Number(expiry[2]) : Number(expiry[2]);
    setBusy(true); setError(undefined);
    try {
      const added = await api<PaymentCard | VerificationRequired>('POST', '/v1/cards', {
        body: { deviceId, number, expMonth: Number(expiry[1]), expYear: year, cvc: form.cvc, cardholderName: form.cardholderName.trim() },
        idempotencyKey: key,
      });
      // The number and code leave the page's memory at once.
      setForm({ deviceId: form.deviceId, number: '', expiry: '', cvc: '', cardholderName: '' });
      setKey(newIdempotencyKey());
      if ('cardId' in added) setPending(added);
      onAdded();
    } catch (failed) {
      setError(failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Add a card">
      <form className="stack" onSubmit={submit} aria-label="Add a card" noValidate autoComplete="off">
        <Select label="Device" value={form.deviceId} onChange={(e) => set('deviceId')(e.target.value)}
          options={devices.map((d) => ({ value: d.id, label: d.name }))} />
        {checks.deviceId && <p className="error" role="alert">{checks.deviceId}</p>}
        <Field label="Card number" name="cardNumber" inputMode="numeric" autoComplete="cc-number" value={form.number}
          error={checks.number ?? fieldError(error, 'number')} onChange={(e) => set('number')(e.target.value)} />
        <div className="inline">
          <Field label="Expiry (MM/YY)" name="expiry" autoComplete="cc-exp" value={form.expiry} error={checks.expiry} onChange={(e) => set('expiry')(e.target.value)} />
          <Field label="Security code" name="cvc" inputMode="numeric" autoComplete="cc-csc" value={form.cvc} error={checks.cvc} onChange={(e) => set('cvc')(e.target.value)} />
        </div>
        <Field label="Name on card" name="cardholderName" autoComplete="cc-name" value={form.cardholderName} error={checks.cardholderName} onChange={(e) => set('cardholderName')(e.target.value)} />
        {!fieldError(error, 'number') && <ErrorNote error={error} />}
        <button type="submit" disabled={busy}>{busy ? 'Adding…' : 'Add card'}</button>
      </form>
      {pending && (
        <div className="notice" role="status">
          <p>Your bank wants to check it is you: enter the code it sent.</p>
          <VerifyCard cardId={pending.cardId} methods={pending.methods} onVerified={() => { setPending(undefined); onAdded(); }} />
        </div>
      )}
    </Card>
  );
}

function VerifyCard({ cardId, methods = ['sms', 'email'], onVerified }: { cardId: string; methods?: string[]; onVerified: () => void }) {
  const [method, setMethod] = useState(methods[0] ?? 'sms');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4,8}$/.test(code)) { setError('Enter the digits of the code.'); return; }
    try {
      await api('POST', `/v1/cards/${cardId}/verify`, { body: { method, code } });
      onVerified();
    } catch (failed) {
      setError(describeError(failed));
    }
  };
  return (
    <form className="inline" onSubmit={submit} aria-label="Verify the card">
      <Select label="Code sent by" value={method} onChange={(e) => setMethod(e.target.value)} options={methods.map((m) => ({ value: m, label: m.toUpperCase() }))} />
      <Field label="Verification code" name="verificationCode" inputMode="numeric" autoComplete="one-time-code" value={code} error={error} onChange={(e) => setCode(e.target.value)} />
      <button type="submit">Verify</button>
    </form>
  );
}
