import { useState, type FormEvent } from 'react';
import { fieldError } from '../api/errors';
import { ErrorNote, Field } from '../components/ui';
import { useSession } from '../lib/session';

const usernamePattern = /^[a-z0-9_]{3,32}$/;

export function SignIn() {
  const { signIn, signUp } = useSession();
  const [mode, setMode] = useState<'in' | 'up'>('in');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [checks, setChecks] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (mode === 'up') {
      if (!usernamePattern.test(username)) found.username = '3 to 32 lowercase letters, digits or _.';
      if (!displayName.trim() || displayName.length > 64) found.displayName = 'Your name, up to 64 characters.';
      if (password.length < 8) found.password = 'At least 8 characters.';
    }
    setChecks(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      if (mode === 'in') await signIn(username.trim(), password);
      else await signUp(username.trim(), displayName.trim(), password);
    } catch (failed) {
      setError(failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth" id="main">
      <h1>Payments</h1>
      <p className="lede">Send money to friends, pay in shops, and run your business.</p>
      <form onSubmit={submit} className="card" aria-label={mode === 'in' ? 'Sign in' : 'Create an account'} noValidate>
        <h2>{mode === 'in' ? 'Sign in' : 'Create an account'}</h2>
        <Field label="Username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value.toLowerCase())}
          error={checks.username ?? fieldError(error, 'username')} required />
        {mode === 'up' && (
          <Field label="Display name" name="displayName" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)}
            error={checks.displayName ?? fieldError(error, 'displayName')} required />
        )}
        <Field label="Password" name="password" type="password" autoComplete={mode === 'in' ? 'current-password' : 'new-password'}
          value={password} onChange={(e) => setPassword(e.target.value)} error={checks.password ?? fieldError(error, 'password')} required />
        {!fieldError(error, 'username') && !fieldError(error, 'password') && <ErrorNote error={error} />}
        <button type="submit" disabled={busy}>{mode === 'in' ? 'Sign in' : 'Sign up'}</button>
        <button type="button" className="link" onClick={() => { setMode(mode === 'in' ? 'up' : 'in'); setError(undefined); setChecks({}); }}>
          {mode === 'in' ? 'New here? Create an account' : 'Have an account? Sign in'}
        </button>
      </form>
    </main>
  );
}
