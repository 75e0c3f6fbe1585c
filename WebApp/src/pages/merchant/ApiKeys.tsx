import { useState } from 'react';
import { api, type Page } from '../../api/client';
import { describeError } from '../../api/errors';
import type { ApiKey } from '../../api/types';
import { Card, Empty, Status, When } from '../../components/ui';
import { useLoad } from '../../lib/hooks';

/** The secret is in this page's memory only until it is dismissed: the server keeps just its hash. */
export function SecretOnce({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  return (
    <div className="notice" role="status">
      <p>Copy this secret now: it is not shown again.</p>
      <p><code data-testid="secret">{secret}</code></p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(secret)}>Copy</button>
        <button type="button" onClick={onDismiss}>Done</button>
      </div>
    </div>
  );
}

export function ApiKeys({ merchant }: { merchant: string }) {
  const keys = useLoad((signal) => api<Page<ApiKey>>('GET', `/v1/merchants/${merchant}/api_keys`, { signal }), [merchant]);
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<string>();
  const [graceHours, setGraceHours] = useState('24');

  const run = async (action: () => Promise<{ secret?: string } | undefined>) => {
    setError(undefined);
    try {
      const result = await action();
      if (result?.secret) setSecret(result.secret);
      keys.reload();
    } catch (failed) {
      setError(describeError(failed));
    }
  };

  return (
    <Card title="API keys" actions={<button type="button" onClick={() => run(() => api('POST', `/v1/merchants/${merchant}/api_keys`))}>Create key</button>}>
      {secret && <SecretOnce secret={secret} onDismiss={() => setSecret(undefined)} />}
      {error && <p className="error" role="alert">{error}</p>}
      <div className="field">
        <label htmlFor="grace">When rolling, the old secret keeps working for (hours)</label>
        <input id="grace" type="number" min={0} max={168} value={graceHours} onChange={(e) => setGraceHours(e.target.value)} />
      </div>
      {keys.value?.data.length === 0 ? <Empty>No keys yet.</Empty> : (
        <ul className="list" aria-label="API keys">
          {keys.value?.data.map((key) => (
            <li key={key.id} className="row">
              <span><code>{key.prefix}…</code> <small className="muted">created <When at={key.createdAt} /></small>
                {key.revokedAt ? <> <Status value="revoked" /></> : key.expiresAt ? <> <small className="muted">expires <When at={key.expiresAt} /></small></> : null}</span>
              {!key.revokedAt && (
                <span className="actions">
                  <button type="button" className="secondary" onClick={() => run(() => api('POST', `/v1/merchants/${merchant}/api_keys/${key.id}/roll`, { body: { expiresInSeconds: Math.round(Number(graceHours) * 3600) } }))}>Roll</button>
                  <button type="button" className="danger" onClick={() => run(() => api('DELETE', `/v1/merchants/${merchant}/api_keys/${key.id}`))}>Revoke</button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
