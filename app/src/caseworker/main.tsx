import { render } from 'preact';
import '../shared/base.css';
import './app.css';
import { initialLocale, loadTranslator } from '../shared/i18n';
import { App, loadClientConfig } from './app';

/** Starts the caseworkers' client: its settings from the hub, the language, then the app. */
async function start(): Promise<void> {
  // The sign-in settings matter only to a signed-out tab: a signed-in reload saves the round trip.
  const signedIn = sessionStorage.getItem('hub-app-session') !== null;
  const [config, t] = await Promise.all([signedIn ? null : loadClientConfig(), loadTranslator(initialLocale(), ['common', 'app'])]);
  const root = document.getElementById('root')!;
  root.textContent = ''; // the placeholder shown while the scripts load
  render(<App config={config} initial={t} />, root);
}

void start();
