import { useState } from 'react';
import { api } from '../../api/client';
import type { AnalyticsInterval } from '../../api/types';
import { Card, ErrorNote, Money, Select } from '../../components/ui';
import { useLoad } from '../../lib/hooks';
import { formatMoney } from '../../lib/money';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function Analytics({ merchant }: { merchant: string }) {
  const [days, setDays] = useState('30');
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const summary = useLoad((signal) => {
    const to = new Date();
    const from = new Date(to.getTime() - Number(days) * 86_400_000);
    return api<{ data: AnalyticsInterval[] }>('GET', '/v1/analytics/summary', {
      signal, query: { merchant, interval: 'day', timezone, from: from.toISOString(), to: new Date(to.getTime() + 60_000).toISOString() },
    });
  }, [merchant, days]);
  const rows = (summary.value?.data ?? []).filter((r) => r.currency === 'USD');
  const totals = rows.reduce((t, r) => ({
    payments: t.payments + r.payments, succeeded: t.succeeded + r.succeeded, declined: t.declined + r.declined,
    refunds: t.refunds + r.refunds, volume: t.volume + r.volume, refunded: t.refunded + r.refundedAmount,
  }), { payments: 0, succeeded: 0, declined: 0, refunds: 0, volume: 0, refunded: 0 });
  const rate = (part: number, whole: number) => (whole === 0 ? '—' : percent(part / whole));

  return (
    <section aria-label="Analytics" className="grid">
      <Select label="Period" value={days} onChange={(e) => setDays(e.target.value)}
        options={[{ value: '7', label: 'Last 7 days' }, { value: '30', label: 'Last 30 days' }, { value: '90', label: 'Last 90 days' }]} />
      <ErrorNote error={summary.error} />
      <Card title="Totals">
        <dl className="stats">
          <div><dt>Volume</dt><dd><Money minor={totals.volume} currency="USD" /></dd></div>
          <div><dt>Payments</dt><dd>{totals.payments}</dd></div>
          <div><dt>Success rate</dt><dd>{rate(totals.succeeded, totals.payments)}</dd></div>
          <div><dt>Decline rate</dt><dd>{rate(totals.declined, totals.payments)}</dd></div>
          <div><dt>Refund rate</dt><dd>{rate(totals.refunds, totals.succeeded)}</dd></div>
        </dl>
      </Card>
      <Card title="Volume per day">
        <BarChart rows={rows} value={(r) => r.volume} label={(r) => formatMoney(r.volume, r.currency)} />
      </Card>
      <Card title="Payments per day">
        <BarChart rows={rows} value={(r) => r.payments} label={(r) => `${r.payments} payments`} />
      </Card>
    </section>
  );
}

/** A bar per day, drawn as SVG; the same numbers are in a table for screen readers. */
function BarChart({ rows, value, label }: { rows: AnalyticsInterval[]; value: (r: AnalyticsInterval) => number; label: (r: AnalyticsInterval) => string }) {
  if (rows.length === 0) return <p className="muted">No payments in this period.</p>;
  const max = Math.max(1, ...rows.map(value));
  const width = 600;
  const height = 160;
  const bar = width / rows.length;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-label="Bar chart per day" preserveAspectRatio="none">
        {rows.map((r, i) => {
          const h = Math.round((value(r) / max) * height);
          return (
            <g key={r.start}>
              <rect x={i * bar + 2} y={height - h} width={Math.max(1, bar - 4)} height={h} className="bar"><title>{`${new Date(r.start).toLocaleDateString()}: ${label(r)}`}</title></rect>
            </g>
          );
        })}
        <line x1="0" y1={height} x2={width} y2={height} className="axis" />
      </svg>
      <table className="sr-only">
        <caption>Per day</caption>
        <tbody>{rows.map((r) => <tr key={r.start}><th scope="row">{new Date(r.start).toLocaleDateString()}</th><td>{label(r)}</td></tr>)}</tbody>
      </table>
    </figure>
  );
}
