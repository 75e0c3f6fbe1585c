import { Link, segments, useRoute } from './lib/router';
import { NotificationProvider } from './lib/notifications';
import { useSession } from './lib/session';
import { Cards } from './pages/Cards';
import { Dashboard } from './pages/merchant/Dashboard';
import { OrderPage, Shop } from './pages/Shop';
import { SignIn } from './pages/SignIn';
import { Feed, Friends } from './pages/Social';
import { Wallet } from './pages/Wallet';

export function App() {
  const { user, signOut } = useSession();
  const { path, navigate } = useRoute();
  if (user === undefined) return <main id="main" className="auth"><p role="status">Loading…</p></main>;
  if (user === null) return <SignIn />;

  const [section, id] = segments(path);
  return (
    <NotificationProvider key={user.id}>
      <a href="#main" className="skip">Skip to content</a>
      <header className="top">
        <strong className="brand">Payments</strong>
        <nav aria-label="Main">
          <Link to="/">Wallet</Link>
          <Link to="/feed">Feed</Link>
          <Link to="/friends">Friends</Link>
          <Link to="/cards">Cards</Link>
          <Link to="/shop">Shop</Link>
          <Link to="/merchant">Business</Link>
        </nav>
        <span className="who">
          <span className="muted">{user.displayName}</span>
          <button type="button" className="secondary" onClick={() => void signOut().then(() => navigate('/'))}>Sign out</button>
        </span>
      </header>
      {!section && <Wallet />}
      {section === 'feed' && <Feed />}
      {section === 'friends' && <Friends />}
      {section === 'cards' && <Cards />}
      {section === 'shop' && <Shop />}
      {section === 'orders' && id && <OrderPage id={id} />}
      {section === 'merchant' && <Dashboard />}
      {!['feed', 'friends', 'cards', 'shop', 'orders', 'merchant', undefined].includes(section) && (
        <main id="main" className="narrow"><h1>Not found</h1><p><Link to="/">Back to your wallet</Link></p></main>
      )}
    </NotificationProvider>
  );
}
