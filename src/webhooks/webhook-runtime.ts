import type { HubConfig } from '../config';
import { secretBox, type SecretBox } from './webhook-secret';

const boxes = new Map<string, SecretBox>();

/** The box sealing signing secrets, from HUB_WEBHOOK_SECRETS_KEY or the hub's shared secret (every process derives the same key). */
export function secretBoxFor(runtime: { config: Pick<HubConfig, 'webhooks'>; jwtSecret: string }): SecretBox {
  const material = runtime.config.webhooks.secretsKey ?? runtime.jwtSecret;
  let box = boxes.get(material);
  if (!box) {
    box = secretBox(material);
    if (boxes.size > 8) boxes.clear(); // one key per process in practice; tests start hubs with a few
    boxes.set(material, box);
  }
  return box;
}
