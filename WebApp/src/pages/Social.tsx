import { useState, type FormEvent } from 'react';
import { api, type Page } from '../api/client';
import { describeError } from '../api/errors';
import type { FeedComment, FeedItem, Friend, FriendRequest } from '../api/types';
import { Card, Empty, ErrorNote, Field, Money, MoreButton, When } from '../components/ui';
import { useLoad, usePaged } from '../lib/hooks';
import { useNotifications } from '../lib/notifications';
import { useUser } from '../lib/session';
import { useUserSearch } from './SendMoney';

export function Feed() {
  const [tab, setTab] = useState<'friends' | 'public'>('friends');
  const feed = usePaged(
    (after) => api<Page<FeedItem>>('GET', tab === 'friends' ? '/v1/feed' : '/v1/feed/public', { query: { startingAfter: after, limit: 20 } }),
    (item) => item.transferId, [tab]);
  useNotifications((n) => { if (n.type === 'feed_item') feed.reload(); });
  return (
    <main id="main" className="narrow">
      <h1>Feed</h1>
      <div className="tabs" role="group" aria-label="Which feed">
        <button type="button" aria-pressed={tab === 'friends'} onClick={() => setTab('friends')}>Friends</button>
        <button type="button" aria-pressed={tab === 'public'} onClick={() => setTab('public')}>Public</button>
      </div>
      {feed.items.length === 0 && !feed.loading && <Empty>Nothing here yet.</Empty>}
      <ul className="feed" aria-label="Feed">
        {feed.items.map((item) => <FeedEntry key={item.transferId} item={item} />)}
      </ul>
      <ErrorNote error={feed.error} />
      <MoreButton hasMore={feed.hasMore} loading={feed.loading} onMore={feed.more} />
    </main>
  );
}

function FeedEntry({ item }: { item: FeedItem }) {
  const [liked, setLiked] = useState(item.likedByMe);
  const [likes, setLikes] = useState(item.likeCount);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>();
  const toggleLike = async () => {
    try {
      await api(liked ? 'DELETE' : 'POST', `/v1/feed/${item.transferId}/likes`);
      setLikes(likes + (liked ? -1 : 1));
      setLiked(!liked);
    } catch (failed) {
      setError(failed);
    }
  };
  return (
    <li className="card">
      <p><strong>{item.from.displayName}</strong> paid <strong>{item.to.displayName}</strong>
        {item.amount != null && item.currency && <> <Money minor={item.amount} currency={item.currency} /></>}</p>
      <p>{item.note}</p>
      <p className="muted"><When at={item.createdAt} /> · {item.visibility}</p>
      <div className="actions">
        <button type="button" className="secondary" aria-pressed={liked} onClick={toggleLike}>♥ {likes} <span className="sr-only">likes</span></button>
        <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>Comments ({item.commentCount})</button>
      </div>
      <ErrorNote error={error} />
      {open && <Comments transferId={item.transferId} />}
    </li>
  );
}

function Comments({ transferId }: { transferId: string }) {
  const comments = useLoad((signal) => api<Page<FeedComment>>('GET', `/v1/feed/${transferId}/comments`, { signal }), [transferId]);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    try {
      await api('POST', `/v1/feed/${transferId}/comments`, { body: { text } });
      setText('');
      comments.reload();
    } catch (failed) {
      setError(failed);
    }
  };
  return (
    <div className="comments">
      <ul className="list">
        {(comments.value?.data ?? []).map((c) => <li key={c.id}><strong>{c.author.displayName}</strong>: {c.text}</li>)}
      </ul>
      <form onSubmit={submit} className="inline" aria-label="Add a comment">
        <Field label="Comment" value={text} maxLength={280} onChange={(e) => setText(e.target.value)} />
        <button type="submit">Post</button>
      </form>
      <ErrorNote error={error} />
    </div>
  );
}

export function Friends() {
  const me = useUser();
  const friends = usePaged((after) => api<Page<Friend>>('GET', '/v1/friends', { query: { startingAfter: after } }), (f) => f.id, []);
  const requests = useLoad((signal) => api<Page<FriendRequest>>('GET', '/v1/friends/requests', { signal }), []);
  const [query, setQuery] = useState('');
  const found = useUserSearch(query);
  const [message, setMessage] = useState<string>();
  useNotifications((n) => { if (n.type === 'friend_request') requests.reload(); });

  const ask = async (to: string) => {
    try {
      await api('POST', '/v1/friends/requests', { body: { username: to } });
      setMessage('Friend request sent.');
    } catch (failed) {
      setMessage(describeError(failed));
    }
  };
  const accept = async (id: string) => {
    try {
      await api('POST', `/v1/friends/requests/${id}/accept`);
      requests.reload(); friends.reload();
    } catch (failed) {
      setMessage(describeError(failed));
    }
  };

  const incoming = (requests.value?.data ?? []).filter((r) => r.to.id === me.id && r.status === 'pending');
  return (
    <main id="main" className="narrow">
      <h1>Friends</h1>
      <Card title="Find people">
        <Field label="Search by name or username" value={query} onChange={(e) => setQuery(e.target.value)} />
        <ul className="list">
          {found.filter((u) => u.id !== me.id).map((u) => (
            <li key={u.id} className="row"><span>{u.displayName} <span className="muted">@{u.username}</span></span>
              <button type="button" onClick={() => ask(u.username)}>Add friend</button></li>
          ))}
        </ul>
        {message && <p role="status">{message}</p>}
      </Card>
      <Card title="Friend requests">
        {incoming.length === 0 ? <Empty>No requests.</Empty> : (
          <ul className="list">
            {incoming.map((r) => (
              <li key={r.id} className="row"><span>{r.from.displayName}</span><button type="button" onClick={() => accept(r.id)}>Accept</button></li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Your friends">
        {friends.items.length === 0 ? <Empty>No friends yet.</Empty> : (
          <ul className="list">{friends.items.map((f) => <li key={f.id}>{f.displayName} <span className="muted">@{f.username}</span></li>)}</ul>
        )}
        <MoreButton hasMore={friends.hasMore} loading={friends.loading} onMore={friends.more} />
      </Card>
    </main>
  );
}
