// idp-proxy.mjs - sits between the login worker and the real identity provider's
// token endpoint (tools/esia-dev, oidc-provider) and, when a test asks, spoils
// the answer the way an attacker or a failing provider would: a tampered,
// foreign-key, alg none, HS256-with-public-key, wrong aud/iss, expired or
// wrong-nonce id_token, a GOST one, an unknown kid, a provider that is down or too slow.
//
// PROXY_PORT, PROVIDER_TOKEN_URL, PROVIDER_ISSUER, PROVIDER_JWKS_FILE.
// POST /__mode {"mode": "..."} chooses the next answers' fault ("pass": none).
import http from 'node:http';
import { createHmac, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';

const port = Number(process.env.PROXY_PORT);
const target = process.env.PROVIDER_TOKEN_URL;
let mode = 'pass';

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

async function providerKey() {
  const jwk = JSON.parse(readFileSync(process.env.PROVIDER_JWKS_FILE, 'utf8')).keys[0];
  return { kid: jwk.kid, key: await importJWK(jwk, 'RS256'), jwk };
}

async function resign(claims, header) {
  const { key, kid } = await providerKey();
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(key);
}

async function spoil(idToken) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'tampered': {
      const [h, , s] = idToken.split('.');
      return `${h}.${b64({ ...claims, sub: 'citizen2' })}.${s}`;
    }
    case 'other-key': {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid }).sign(privateKey);
    }
    case 'unknown-kid': {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'rotated-away' }).sign(privateKey);
    }
    case 'gost3410': // ESIA's GOST algorithm where RS256 is configured
      return `${b64({ alg: 'GOST3410_2012_256', kid: header.kid })}.${b64(claims)}.${randomBytes(64).toString('base64url')}`;
    case 'alg-none':
      return `${b64({ alg: 'none', kid: header.kid })}.${b64(claims)}.`;
    case 'hs256-public-key': {
      const { jwk } = await providerKey();
      const pem = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' });
      const body = `${b64({ alg: 'HS256', typ: 'JWT', kid: header.kid })}.${b64(claims)}`;
      return `${body}.${createHmac('sha256', pem).update(body).digest('base64url')}`;
    }
    case 'wrong-aud': return resign({ ...claims, aud: 'another-client' });
    case 'wrong-iss': return resign({ ...claims, iss: 'https://evil.example' });
    case 'expired': return resign({ ...claims, iat: now - 7200, exp: now - 3600 });
    case 'wrong-nonce': return resign({ ...claims, nonce: randomBytes(16).toString('hex') });
    default: return idToken;
  }
}

const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  if (req.url === '/__mode') {
    mode = JSON.parse(body.toString()).mode;
    res.writeHead(204).end();
    return;
  }
  if (mode === 'down') { req.socket.destroy(); return; }
  if (mode === 'slow') await new Promise((r) => setTimeout(r, 8000));
  try {
    const answer = await fetch(target, { method: 'POST', body, headers: {
      'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) } });
    const text = await answer.text();
    let out = text;
    if (answer.ok) {
      const json = JSON.parse(text);
      if (json.id_token) json.id_token = await spoil(json.id_token);
      out = JSON.stringify(json);
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(out);
  } catch (error) {
    if (!res.headersSent) res.writeHead(502).end(String(error));
  }
});
server.listen(port, '127.0.0.1');
