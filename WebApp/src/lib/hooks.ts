import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api/client';

/** Loads once per change of `deps`, and again on `reload()`; keeps the last value while reloading. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    loadRef.current(controller.signal).then(
      (loaded) => { setValue(loaded); setError(undefined); },
      (failed: Error) => { if (failed.name !== 'AbortError') setError(failed); },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { value, error, reload };
}

/** Cursor paging (`startingAfter` = the last item's key): the first page on a change of `deps`, more on `more()`. */
export function usePaged<T>(load: (startingAfter: string | undefined) => Promise<Page<T>>, keyOf: (item: T) => string, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const fetchPage = useCallback(async (after: string | undefined, replace: boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await loadRef.current(after);
      if (mine !== generation.current) return;
      setItems((current) => (replace ? page.data : [...current, ...page.data]));
      setHasMore(page.hasMore);
      setError(undefined);
    } catch (failed) {
      if (mine === generation.current) setError(failed);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    fetchPage(undefined, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, version]);

  const more = useCallback(() => {
    if (!loading && hasMore && items.length > 0) fetchPage(keyOf(items[items.length - 1]), false);
  }, [loading, hasMore, items, keyOf, fetchPage]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { items, hasMore, loading, error, more, reload };
}
