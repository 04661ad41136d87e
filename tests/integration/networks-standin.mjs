// networks-standin.mjs - a local stand-in for VK's method API and Telegram's
// Bot API, as their documentation describes them, for the channels tests:
// the notifier reaches it at OTKLIK_VK_API_URL and OTKLIK_TELEGRAM_API_URL and
// cannot tell it from the real services.
//
// VK: POST /method/<name>, a form body with access_token and v; answers
// {"response": ...} or, always with HTTP 200, {"error": {"error_code",
// "error_msg", "request_params"}} (5: authorisation failed, 6: too many
// requests per second). Telegram: POST /bot<token>/<method> with a JSON body;
// answers {"ok": true, "result": ...} or {"ok": false, "error_code",
// "description", "parameters"?} with the same HTTP status (401 for a wrong
// token, 429 with parameters.retry_after).
//
// Every request is recorded as it arrives (arrivals) and once answered (calls); failures are queued with fail(kind) and
// each answers one call: 'vk-flood' (error 6), 'tg-429', 'http-500',
// 'hang' (no answer for hangMs, then a normal one).
import http from 'node:http';

export class NetworksStandIn {
  constructor({ vkTokens = new Set(), telegramTokens = new Set() } = {}) {
    this.vkTokens = vkTokens;
    this.telegramTokens = telegramTokens;
    this.calls = [];
    this.arrivals = []; // every request body as it arrives, before any hang
    this.failures = [];
    this.hangMs = 0;
    this.next = 1000;
    this.servers = [];
  }

  fail(...kinds) { this.failures.push(...kinds); }

  async start() {
    await this.#listen(new URL(process.env.OTKLIK_VK_API_URL), (req, body, failure) => this.#vk(req, body, failure));
    await this.#listen(new URL(process.env.OTKLIK_TELEGRAM_API_URL), (req, body, failure) => this.#telegram(req, body, failure));
    return this;
  }

  stop() { for (const s of this.servers) { s.closeAllConnections?.(); s.close(); } }

  #listen(url, handle) {
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        this.arrivals.push(Buffer.concat(chunks).toString());
        const failure = this.failures.shift();
        if (failure === 'hang') await new Promise((r) => setTimeout(r, this.hangMs));
        if (failure === 'http-500') { res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>500</h1>'); return; }
        const [status, answer] = handle(req, Buffer.concat(chunks).toString(), failure);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    this.servers.push(server);
    return new Promise((r) => server.listen(Number(url.port), '127.0.0.1', r));
  }

  #vk(req, body, failure) {
    const method = req.url.replace(/^\/method\//, '').split('?')[0];
    const params = Object.fromEntries(new URLSearchParams(body));
    const call = { network: 'vk', method, params, at: Date.now() };
    this.calls.push(call);
    const requestParams = Object.entries(params).filter(([k]) => k !== 'access_token').map(([key, value]) => ({ key, value }));
    const error = (code, msg) => [200, { error: { error_code: code, error_msg: msg, request_params: requestParams } }];
    call.ok = false;
    if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return error(8, 'Invalid request');
    if (!this.vkTokens.has(params.access_token)) return error(5, 'User authorization failed: invalid access_token (4).');
    if (!params.v) return error(8, 'Invalid request: v is required');
    if (failure === 'vk-flood') return error(6, 'Too many requests per second');
    const id = this.next++;
    call.ok = true;
    switch (method) {
      case 'wall.createComment':
        if (!params.owner_id || !params.post_id || !params.message) return error(100, 'One of the parameters specified was missing or invalid');
        return [200, { response: { comment_id: id, parents_stack: [] } }];
      case 'messages.send':
        if (!params.peer_id || !params.random_id || !params.message) return error(100, 'One of the parameters specified was missing or invalid');
        return [200, { response: id }];
      case 'wall.post':
        if (!params.owner_id || !params.message) return error(100, 'One of the parameters specified was missing or invalid');
        return [200, { response: { post_id: id } }];
      default:
        call.ok = false;
        return error(3, 'Unknown method passed');
    }
  }

  #telegram(req, body, failure) {
    const [, token, method] = req.url.match(/^\/bot([^/]+)\/([A-Za-z]+)$/) ?? [];
    let params = {};
    try { params = JSON.parse(body); } catch { /* stays empty */ }
    const call = { network: 'telegram', method, params, token, at: Date.now(), ok: false };
    this.calls.push(call);
    if (!this.telegramTokens.has(token)) return [401, { ok: false, error_code: 401, description: 'Unauthorized' }];
    if (failure === 'tg-429') {
      return [429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }];
    }
    if (method !== 'sendMessage') return [404, { ok: false, error_code: 404, description: 'Not Found' }];
    if (params.chat_id === undefined || !params.text) return [400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' }];
    if (params.reply_to_message_id !== undefined && typeof params.reply_to_message_id !== 'number') {
      return [400, { ok: false, error_code: 400, description: 'Bad Request: invalid reply_to_message_id' }];
    }
    call.ok = true;
    return [200, { ok: true, result: { message_id: this.next++, date: Math.floor(Date.now() / 1000), chat: { id: params.chat_id, type: 'supergroup' }, text: params.text } }];
  }

  /** The successful calls of network and method. */
  done(network, method) { return this.calls.filter((c) => c.ok && c.network === network && c.method === method); }
}
