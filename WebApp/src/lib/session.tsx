import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from '../api/client';
import type { UserProfile } from '../api/types';

interface Session {
  user: UserProfile | null | undefined; // undefined while the first check runs
  signIn(username: string, password: string): Promise<void>;
  signUp(username: string, displayName: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/**
 * The browser session lives in an HttpOnly cookie the page never sees: after a reload the app asks who it is.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserProfile | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      setUser(await api<UserProfile>('GET', '/v1/users/me'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setUser(null);
      else throw error;
    }
  }, []);

  useEffect(() => {
    refresh().catch(() => setUser(null));
  }, [refresh]);

  const signIn = async (username: string, password: string) => {
    await api('POST', '/v1/sessions/browser', { body: { username, password } });
    await refresh();
  };
  const signUp = async (username: string, displayName: string, password: string) => {
    await api('POST', '/v1/users', { body: { username, displayName, password } });
    await signIn(username, password);
  };
  const signOut = async () => {
    try {
      await api('DELETE', '/v1/sessions/current');
    } finally {
      setUser(null);
    }
  };

  return <SessionContext.Provider value={{ user, signIn, signUp, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for pages behind the sign-in screen. */
export function useUser(): UserProfile {
  const { user } = useSession();
  if (!user) throw new Error('Not signed in');
  return user;
}
