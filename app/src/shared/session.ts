/**
 * What the page keeps: the token and purpose in this tab's sessionStorage only (closing the tab
 * or signing out forgets them), the chosen language in localStorage (no personal data).
 */
export function readSession<T>(key: string): T | null {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null') as T | null;
  } catch {
    return null;
  }
}

export function writeSession(key: string, value: unknown): void {
  sessionStorage.setItem(key, JSON.stringify(value));
}

export function clearSession(key: string): void {
  sessionStorage.removeItem(key);
}

const LANGUAGE_KEY = 'hub-language';

export function savedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_KEY);
  } catch {
    return null;
  }
}

export function saveLanguage(code: string): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, code);
  } catch {
    /* storage may be off; the choice then lasts for this page */
  }
}
