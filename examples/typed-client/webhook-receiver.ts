import http from 'node:http';
import { Webhook } from 'standardwebhooks';
import { ReferralsOfReturneeDocument } from './generated/graphql';
import { createHubClient } from './hub-client';

/**
 * A webhook receiver for an agency's case system: verifies each delivery (Standard Webhooks,
 * the reference library), answers at once, and then reads what the event is about through the
 * typed client — the payload holds ids only, and the read is scoped and audited like any other.
 *
 *   HUB_URL=http://127.0.0.1:4000 HUB_TOKEN=$(npx hub token kz-social-supervisor) \
 *   HUB_WEBHOOK_SECRET=whsec_… PORT=8080 node -r ./test/support/ts-register.js examples/typed-client/webhook-receiver.ts
 *
 * Prints one JSON line per referral event: the referral as the API shows it to this agency.
 */
interface HubEvent {
  type: string;
  data: { eventId: string; returneeId: string; subject: { type: string; id: string } };
}

const webhook = new Webhook(process.env.HUB_WEBHOOK_SECRET ?? '');
const request = createHubClient({
  url: process.env.HUB_URL ?? 'http://127.0.0.1:4000',
  token: process.env.HUB_TOKEN ?? '',
  purpose: 'Case system: sync a referral announced by webhook',
});
const seen = new Set<string>();

async function handle(event: HubEvent): Promise<void> {
  if (event.data.subject.type !== 'Referral') return;
  const { referrals } = await request(ReferralsOfReturneeDocument, { returneeId: event.data.returneeId });
  const referral = referrals.nodes.find((r) => r.id === event.data.subject.id);
  console.log(JSON.stringify({ event: event.type, eventId: event.data.eventId, referral: referral ?? null }));
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let event: HubEvent;
    try {
      event = webhook.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>) as HubEvent;
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(204).end();
    if (seen.has(event.data.eventId)) return; // at least once: the same webhook-id may come again
    seen.add(event.data.eventId);
    handle(event).catch((error: unknown) =>
      console.error(`could not read ${event.data.subject.type} ${event.data.subject.id}: ${String(error)}`),
    );
  });
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () =>
  console.log(JSON.stringify({ listening: (server.address() as { port: number }).port })),
);
