import { useState, type FormEvent } from 'react';
import { api, type Page } from '../../api/client';
import { describeError, fieldError } from '../../api/errors';
import type { WebhookDelivery, WebhookEndpoint } from '../../api/types';
import { Card, Empty, ErrorNote, Field, Status, When } from '../../components/ui';
import { useLoad } from '../../lib/hooks';
import { SecretOnce } from './ApiKeys';

export function Webhooks({ merchant }: { merchant: string }) {
  const endpoints = useLoad((signal) => api<Page<WebhookEndpoint>>('GET', '/v1/webhook_endpoints', { signal, query: { merchant } }), [merchant]);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('*');
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [selected, setSelected] = useState<string>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const created = await api<{ secret: string }>('POST', '/v1/webhook_endpoints', {
        query: { merchant }, body: { url, enabledEvents: events.split(',').map((e) => e.trim()).filter(Boolean) },
      });
      setSecret(created.secret);
      setUrl('');
      endpoints.reload();
    } catch (failed) {
      setError(failed);
    }
  };

  return (
    <section className="grid" aria-label="Webhooks">
      <Card title="Add an endpoint">
        <form className="stack" onSubmit={create} aria-label="Add a webhook endpoint" noValidate>
          <Field label="URL" type="url" value={url} placeholder="https://example.com/webhooks" onChange={(e) => setUrl(e.target.value)} error={fieldError(error, 'url')} />
          <Field label="Events (comma-separated, * for all)" value={events} onChange={(e) => setEvents(e.target.value)} error={fieldError(error, 'enabledEvents')} />
          {!fieldError(error, 'url') && !fieldError(error, 'enabledEvents') && <ErrorNote error={error} />}
          <button type="submit">Add endpoint</button>
        </form>
        {secret && <SecretOnce secret={secret} onDismiss={() => setSecret(undefined)} />}
      </Card>
      <Card title="Endpoints">
        {endpoints.value?.data.length === 0 ? <Empty>No endpoints.</Empty> : (
          <ul className="list" aria-label="Webhook endpoints">
            {endpoints.value?.data.map((endpoint) => (
              <li key={endpoint.id} className="row">
                <span><code>{endpoint.url}</code> <Status value={endpoint.status} /><br /><small className="muted">{endpoint.enabledEvents.join(', ')}</small></span>
                <button type="button" className="secondary" aria-expanded={selected === endpoint.id} onClick={() => setSelected(selected === endpoint.id ? undefined : endpoint.id)}>Deliveries</button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {selected && <Deliveries merchant={merchant} endpoint={selected} />}
    </section>
  );
}

function Deliveries({ merchant, endpoint }: { merchant: string; endpoint: string }) {
  const deliveries = useLoad((signal) => api<Page<WebhookDelivery>>('GET', `/v1/webhook_endpoints/${endpoint}/deliveries`, { signal, query: { merchant, limit: 50 } }), [merchant, endpoint]);
  const [message, setMessage] = useState<string>();
  const act = async (path: string, done: string) => {
    try {
      await api('POST', path, { query: { merchant } });
      setMessage(done);
      window.setTimeout(deliveries.reload, 1000);
    } catch (failed) {
      setMessage(describeError(failed));
    }
  };
  return (
    <Card title="Delivery log" actions={<button type="button" onClick={() => act(`/v1/webhook_endpoints/${endpoint}/test`, 'Test event sent.')}>Send test</button>}>
      {message && <p role="status">{message}</p>}
      {deliveries.value?.data.length === 0 ? <Empty>Nothing sent yet.</Empty> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts (HTTP status)</th><th scope="col">Created</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {deliveries.value?.data.map((d) => (
                <tr key={d.id}>
                  <td>{d.eventType}</td>
                  <td><Status value={d.status} /></td>
                  <td>{d.attempts.map((a) => `${a.statusCode ?? a.error ?? '—'} (${a.latencyMs} ms)`).join(', ') || '—'}</td>
                  <td><When at={d.createdAt} /></td>
                  <td><button type="button" className="secondary" onClick={() => act(`/v1/events/${d.eventId}/resend`, 'Event sent again.')}>Resend</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
