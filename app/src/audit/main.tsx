import { render } from 'preact';
import '../shared/base.css';
import './audit.css';
import { initialLocale, loadTranslator } from '../shared/i18n';
import { AuditConsole } from './console';

async function start(): Promise<void> {
  const t = await loadTranslator(initialLocale(), ['common', 'audit']);
  const root = document.getElementById('root')!;
  root.textContent = '';
  render(<AuditConsole initial={t} />, root);
}

void start();
