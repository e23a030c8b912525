import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Gql } from '../shared/api';
import type { Me } from './sections';

/** What every screen of the caseworkers' client needs: the API, who is signed in, navigation. */
export interface AppContextValue {
  gql: Gql;
  me: Me;
  navigate(hash: string): void;
  /** The last search, kept while the user opens records and comes back (no second read). */
  memory: Map<string, unknown>;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside the signed-in app');
  return ctx;
}

export const isSupervisor = (me: Me) => me.staff.roles.includes('SUPERVISOR');
