import { render } from 'preact';
import '../shared/base.css';
import './app.css';
import { initialLocale, loadTranslator } from '../shared/i18n';
import { App, type ClientConfig } from './app';

/** Starts the caseworkers' client: its settings from the hub, the language, then the app. */
async function start(): Promise<void> {
  const [config, t] = await Promise.all([
    fetch('/app/config.json', { credentials: 'omit' }).then((r) => r.json() as Promise<ClientConfig>).catch((): ClientConfig => ({ oidc: null })),
    loadTranslator(initialLocale(), ['common', 'app']),
  ]);
  const root = document.getElementById('root')!;
  root.textContent = ''; // the placeholder shown while the scripts load
  render(<App config={config} initial={t} />, root);
}

void start();
