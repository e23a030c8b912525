import { useRef, useState } from 'preact/hooks';
import { HubError, newIdempotencyKey } from '../shared/api';
import { useT } from '../shared/i18n';
import { errorText } from '../shared/ui';

/**
 * State of one small write form: busy, the API's message at the fields it names, and the
 * Idempotency-Key of the intended change (kept for a retry after a lost answer, renewed once the
 * hub has answered).
 */
export function useMutation() {
  const t = useT();
  const key = useRef<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<{ [k: string]: string }>({});
  async function run(fn: (idempotencyKey: string) => Promise<void>): Promise<boolean> {
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await fn(key.current);
      key.current = null;
      return true;
    } catch (e) {
      const err = e as HubError;
      if (!['NETWORK', 'HTTP', 'INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'].includes(err.code)) key.current = null;
      if (err.fields?.length) setFields(Object.fromEntries(err.fields.map((f) => [f.split('.').pop()!, err.message])));
      setError(errorText(t, e));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return {
    busy,
    error,
    fields,
    run,
    changed: () => {
      key.current = null;
    },
  };
}
