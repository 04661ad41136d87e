// server.mjs - a local OpenID Connect provider standing in for ESIA in
// development (`make run`) and tests: the npm package oidc-provider, with the
// SPEC's demo users. Any login name is accepted (the password is ignored) and
// becomes the subject, i.e. the ESIA oid; demo users get their demo names.
//
// Settings (environment): ESIA_DEV_PORT (8090), ESIA_DEV_ISSUER,
// ESIA_DEV_CLIENT_ID, ESIA_DEV_CLIENT_SECRET, ESIA_DEV_REDIRECT_URIS (comma
// separated), ESIA_DEV_CLIENT_AUTH (client_secret_post), ESIA_DEV_JWKS_FILE
// (its private signing keys; generated there when missing).
import Provider from 'oidc-provider';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';

const port = Number(process.env.ESIA_DEV_PORT ?? 8090);
const issuer = process.env.ESIA_DEV_ISSUER ?? `http://127.0.0.1:${port}`;
const clientId = process.env.ESIA_DEV_CLIENT_ID ?? 'otklik';
const clientSecret = process.env.ESIA_DEV_CLIENT_SECRET;
const redirectUris = (process.env.ESIA_DEV_REDIRECT_URIS ?? 'http://127.0.0.1:8080/auth/esia/callback').split(',');
const jwksFile = process.env.ESIA_DEV_JWKS_FILE;
if (!clientSecret) throw new Error('ESIA_DEV_CLIENT_SECRET is required');

const demoNames = {
  citizen1: 'Иванов Иван Иванович', citizen2: 'Петрова Мария Сергеевна',
  citizen3: 'Сидоров Алексей Петрович', coordinator1: 'Кузнецова Ольга Викторовна',
  executor1: 'Смирнов Дмитрий Андреевич', manager1: 'Волков Сергей Николаевич',
  curator1: 'Морозова Елена Александровна', admin1: 'Новиков Андрей Олегович',
  executor2: 'Фёдоров Павел Игоревич', manager2: 'Лебедева Анна Михайловна',
  moderator1: 'Козлов Илья Романович',
  coordinator2: 'Егорова Наталья Павловна', admin2: 'Орлов Виктор Степанович',
  coordinator3: 'Николаева Татьяна Игоревна', executor3: 'Захаров Максим Денисович',
  manager3: 'Белова Светлана Юрьевна', admin3: 'Григорьев Артём Валерьевич',
  operator1: 'Соколова Дарья Андреевна', callcenter1: 'Тихонов Роман Ильич',
  root: 'Корнеев Глеб Аркадьевич',
};

async function signingKeys() {
  if (jwksFile && existsSync(jwksFile)) return JSON.parse(readFileSync(jwksFile, 'utf8'));
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
  const jwks = { keys: [jwk] };
  if (jwksFile) writeFileSync(jwksFile, JSON.stringify(jwks), { mode: 0o600 });
  return jwks;
}

// Accounts named resident-… live in the demo municipality (an address the
// platform maps to «г. Демоград»); the others have no address.
function demoAddress(id) {
  if (!id.startsWith('resident')) return {};
  return { address: { formatted: 'Демо-область, г. Демоград, ул. Ленина, д. 1', region: 'Демо-область',
    locality: 'г. Демоград', country: 'Россия' } };
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: process.env.ESIA_DEV_CLIENT_AUTH ?? 'client_secret_post',
  }],
  jwks: await signingKeys(),
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true, methods: ['S256'] },
  scopes: ['openid', 'fullname'],
  // address: the OpenID Connect address claim, given here with the name (an
  // installation whose provider gives it under another scope adds that scope
  // to OTKLIK_ESIA_SCOPE); the platform maps it to a territory at login
  claims: { openid: ['sub'], fullname: ['name', 'family_name', 'given_name', 'middle_name', 'address'] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const name = demoNames[id] ?? `Гражданин ${id}`;
    const [family, given, middle] = name.split(' ');
    return {
      accountId: id,
      async claims() {
        return { sub: id, name, family_name: family, given_name: given, middle_name: middle, ...demoAddress(id) };
      },
    };
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1');
console.log(JSON.stringify({ msg: 'esia-dev provider listening', issuer }));
