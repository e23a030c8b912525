import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { HubConfig } from '../config';

/**
 * GET /graphql in a browser: the Apollo Sandbox (an explorer loaded from Apollo's CDN) aimed
 * at this hub. On in development, off elsewhere unless HUB_SANDBOX=1 (src/http/http-config.ts).
 *
 * The page never holds a token: anyone who can load it (a web page reaching the hub by DNS
 * rebinding, a neighbour on the network) would otherwise be signed in without a credential.
 * The developer pastes one from `npx hub token <username>` into the Authorization header; the
 * headers are also the Sandbox's shared headers, which its introspection requests carry.
 */
export const SANDBOX_PURPOSE = 'development: exploring the API in the sandbox';
export const SANDBOX_AUTHORIZATION = 'Bearer <paste the output of: npx hub token <username>>';

const DEMO_DOCUMENT = `# Paste a token into the Authorization header (Headers, below):
#   npx hub token <username>        e.g. npx hub token kz-health-caseworker after npx hub seed
# The sandbox never signs you in by itself.
#
# The signed-in account and what its sector policy lets it see and do.
query Me {
  me {
    staff { username displayName roles agency { code name sector country } }
    readableSections
    writableSections
  }
}
`;

export function sandboxPlugin(config: HubConfig): ApolloServerPlugin {
  if (!config.http.sandbox) return ApolloServerPluginLandingPageDisabled();
  const headers: Record<string, string> = { 'X-Purpose-Of-Use': SANDBOX_PURPOSE, Authorization: SANDBOX_AUTHORIZATION };

  return {
    async serverWillStart(service) {
      // The same page for everyone (it holds nothing of the caller's): rendered once.
      let rendered: Promise<string> | undefined;
      const render = async (): Promise<string> => {
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
      };
      return {
        async renderLandingPage() {
          return {
            html: () =>
              (rendered ??= render().catch((error: unknown) => {
                rendered = undefined; // try again on the next load
                throw error;
              })),
          };
        },
      };
    },
  };
}
