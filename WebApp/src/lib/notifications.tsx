import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, type Page } from '../api/client';
import type { Notification } from '../api/types';
import { formatMoney } from './money';

interface Toast { id: string; text: string }
type Listener = (notification: Notification) => void;

const NotificationContext = createContext<{ subscribe(listener: Listener): () => void; connected: boolean }>({
  subscribe: () => () => {},
  connected: false,
});

/** What a toast says for a notification, from the fields its type carries. */
export function describeNotification(notification: Notification): string {
  const data = notification.data ?? {};
  const currency = typeof data.currency === 'string' ? data.currency : 'USD';
  const amount = typeof data.amount === 'number' ? formatMoney(data.amount, currency) : '';
  const note = typeof data.note === 'string' && data.note ? ` for “${data.note}”` : '';
  switch (notification.type) {
    case 'payment_received': return `You received ${amount}${note}`;
    case 'payment_request': return `You were asked to pay ${amount}${note}`;
    case 'request_paid': return `Your request for ${amount} was paid`;
    case 'request_declined': return `Your request for ${amount} was declined`;
    case 'balance_updated':
      return typeof data.change === 'number'
        ? `Balance ${data.change >= 0 ? 'up' : 'down'} ${formatMoney(Math.abs(data.change), currency)}`
        : 'Your balance changed';
    case 'friend_request': return 'You have a new friend request';
    default: return 'Something new happened';
  }
}

/**
 * The notification WebSocket of the signed-in user (the session cookie authenticates it). Each notification goes to
 * the subscribers (pages refresh what it changes) and becomes a toast. After a reconnect the app catches up from the
 * inbox (GET /v1/notifications?after=the last one seen), so nothing said while offline is lost.
 */
export function NotificationProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [connected, setConnected] = useState(false);
  const lastSeen = useRef<string | undefined>(undefined);
  const seen = useRef(new Set<string>());

  const deliver = useCallback((notification: Notification, toast: boolean) => {
    if (seen.current.has(notification.id)) return;
    seen.current.add(notification.id);
    lastSeen.current = notification.id;
    listeners.current.forEach((listener) => listener(notification));
    if (toast && notification.type !== 'feed_item') {
      setToasts((current) => [...current.slice(-3), { id: notification.id, text: describeNotification(notification) }]);
      window.setTimeout(() => setToasts((current) => current.filter((t) => t.id !== notification.id)), 8000);
    }
  }, []);

  useEffect(() => {
    let socket: WebSocket | undefined;
    let stopped = false;
    let attempt = 0;
    let timer: number | undefined;

    const catchUp = async (toast: boolean) => {
      for (let page = 0; page < 50; page++) {
        let result: Page<Notification>;
        try {
          result = await api<Page<Notification>>('GET', '/v1/notifications', { query: { after: lastSeen.current, limit: 100 } });
        } catch {
          lastSeen.current = undefined; // an id past the retention: start again from the inbox's beginning
          return;
        }
        result.data.forEach((notification) => deliver(notification, toast));
        if (!result.hasMore) return;
      }
    };

    const connect = async () => {
      // The first catch-up only learns where the inbox ends; later ones show what was missed while offline.
      await catchUp(attempt > 0);
      if (stopped) return;
      const url = new URL('/v1/notifications/ws', window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      socket = new WebSocket(url);
      socket.onopen = () => { attempt = 0; setConnected(true); void catchUp(true); };
      socket.onmessage = (event) => {
        try { deliver(JSON.parse(event.data as string) as Notification, true); } catch { /* not ours */ }
      };
      socket.onclose = () => {
        setConnected(false);
        if (stopped) return;
        attempt++;
        timer = window.setTimeout(() => void connect(), Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)));
      };
    };

    void connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      socket?.close();
    };
  }, [deliver]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => { listeners.current.delete(listener); };
  }, []);

  return (
    <NotificationContext.Provider value={{ subscribe, connected }}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className="toast" data-testid="toast">{toast.text}</div>
        ))}
      </div>
    </NotificationContext.Provider>
  );
}

/** Calls `listener` for every notification while the component is mounted. */
export function useNotifications(listener: Listener) {
  const { subscribe } = useContext(NotificationContext);
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => subscribe((notification) => ref.current(notification)), [subscribe]);
}
