import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { MikroORM } from '@mikro-orm/postgresql';
import { signToken } from '../auth/token';
import type { HubConfig } from '../config';

/**
 * GET /graphql in a browser: the Apollo Sandbox (an explorer loaded from Apollo's CDN) aimed
 * at this hub. On in development, off elsewhere unless HUB_SANDBOX=1 (src/http/http-config.ts).
 *
 * In development the page comes with a demo token already in the Authorization header, so a
 * newcomer can run queries at once: a fresh token for each page load, valid for an hour, for
 * the seeded health caseworker of Kazakhstan when `hub seed` has run, else for the bootstrap
 * admin. Never in production, where the page asks for a token of your own. The headers are
 * also the Sandbox's shared headers, which its introspection requests carry.
 */
export const DEMO_TOKEN_TTL_S = 3600;
/** Preferred demo accounts, most useful first; the bootstrap admin is the fallback. */
export const DEMO_USERS = ['kz-health-caseworker'];
export const SANDBOX_PURPOSE = 'development: exploring the API in the sandbox';

const DEMO_DOCUMENT = `# The signed-in account and what its sector policy lets it see and do.
query Me {
  me {
    staff { username displayName roles agency { code name sector country } }
    readableSections
    writableSections
  }
}
`;

export function sandboxPlugin(config: HubConfig, jwtSecret: string, orm: MikroORM): ApolloServerPlugin {
  if (!config.http.sandbox) return ApolloServerPluginLandingPageDisabled();
  const withToken = config.env !== 'production';

  const headersForPage = async (): Promise<Record<string, string>> => {
    const headers: Record<string, string> = { 'X-Purpose-Of-Use': SANDBOX_PURPOSE };
    if (!withToken) return { ...headers, Authorization: 'Bearer PASTE-A-TOKEN-FROM-npx-hub-token' };
    const username = await demoUsername(orm, [...DEMO_USERS, config.bootstrapAdmin]);
    if (username) headers.Authorization = `Bearer ${await signToken(jwtSecret, username, DEMO_TOKEN_TTL_S)}`;
    return headers;
  };

  return {
    async serverWillStart(service) {
      return {
        async renderLandingPage() {
          return {
            // Rendered per page load, so the demo token is always fresh and short-lived.
            async html() {
              const headers = await headersForPage();
              const page = ApolloServerPluginLandingPageLocalDefault({
                embed: { runTelemetry: false, endpointIsEditable: false, initialState: { pollForSchemaUpdates: false, sharedHeaders: headers } },
                document: DEMO_DOCUMENT,
                headers,
                includeCookies: false,
                footer: false,
              });
              const listener = await page.serverWillStart?.(service);
              const landing = await listener?.renderLandingPage?.();
              if (!landing) throw new Error('the Apollo landing page plugin rendered no page');
              return typeof landing.html === 'string' ? landing.html : landing.html();
            },
          };
        },
      };
    },
  };
}

async function demoUsername(orm: MikroORM, candidates: string[]): Promise<string | undefined> {
  const rows = await orm.em.getConnection().execute<{ username: string }[]>(
    'select username from staff_member where active and username in (?)', [candidates]);
  const found = new Set(rows.map((r) => r.username));
  return candidates.find((c) => found.has(c));
}
