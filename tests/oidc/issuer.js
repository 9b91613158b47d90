// A local OpenID Connect issuer for the tests: oauth2-mock-server with an RS256 key of its own, on 127.0.0.1 and a
// free port. A client-credentials token request names the subject and roles it wants (fields `sub` and `roles`), as
// an identity provider would put a user's groups in a claim; `aud` sets the audience (default "tend"). The person
// who signs in with the authorization code flow (the web UI's) is TEND_TEST_OIDC_USER, with TEND_TEST_OIDC_ROLES.
// Prints the issuer's URL on its first line, then serves until stdin closes.
const { OAuth2Server } = require('oauth2-mock-server');

(async () => {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  server.service.on('beforeTokenSigning', (token, req) => {
    const body = req.body || {};
    const person = body.grant_type === 'authorization_code';
    token.payload.sub = (person ? process.env.TEND_TEST_OIDC_USER : body.sub) || 'nobody';
    token.payload.aud = body.aud || 'tend';
    token.payload.tend_roles = ((person ? process.env.TEND_TEST_OIDC_ROLES : body.roles) || '').split(' ').filter(Boolean);
  });
  await server.start(0, '127.0.0.1');
  console.log(server.issuer.url);
  process.stdin.resume();
  process.stdin.on('end', () => server.stop().then(() => process.exit(0)));
})().catch(e => { console.error(e); process.exit(1); });
