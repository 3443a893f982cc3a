// A real OpenID Connect provider for the console tests: npm's oidc-provider (certified), configured from the
// environment by OidcTestProvider.cs. Its development login form accepts any password; the login name picks one
// of the users in OIDC_USERS, whose claims (roles, center list) go into the ID token and userinfo.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`oidc-test-provider: ${name} is not set`);
    process.exit(2);
  }
  return value;
};

const moduleDir = env('OIDC_MODULE_DIR');
const port = Number(env('OIDC_PORT'));
const users = JSON.parse(env('OIDC_USERS'));
const { default: Provider } = await import(pathToFileURL(join(moduleDir, 'node_modules', 'oidc-provider', 'lib', 'index.js')).href);

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: env('OIDC_CLIENT_ID'),
    client_secret: env('OIDC_CLIENT_SECRET'),
    redirect_uris: [env('OIDC_REDIRECT_URI')],
    post_logout_redirect_uris: [env('OIDC_POST_LOGOUT_REDIRECT_URI')],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['preferred_username', 'roles', 'center_keys'] },
  // Claims in the ID token as well as userinfo, as Keycloak's mappers put them.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['lxa-console-tests-only-not-a-secret'] },
  async findAccount(ctx, id) {
    const claims = users[id];
    if (!claims) {
      return undefined;
    }
    return { accountId: id, async claims() { return { sub: id, preferred_username: id, ...claims }; } };
  },
});

// Plain http on loopback only: the hub accepts http metadata for a provider on its own host.
provider.listen(port, '127.0.0.1', () => console.log(`oidc-test-provider listening on ${port}`));
