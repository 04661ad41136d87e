// browser.mjs - just enough of a browser for the login flow: cookies kept per
// host (path-blind, which is fine here), redirects followed by hand so each
// hop can be inspected, and the provider's login and consent forms submitted.
export class Browser {
  constructor() { this.jars = new Map(); }

  jar(url) {
    const host = new URL(url).host;
    if (!this.jars.has(host)) this.jars.set(host, new Map());
    return this.jars.get(host);
  }

  cookie(url, name) { return this.jar(url).get(name); }

  async fetch(url, { method = 'GET', body, headers = {} } = {}) {
    const jar = this.jar(url);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { method, body, redirect: 'manual',
      headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...headers } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') jar.delete(name.trim()); else jar.set(name.trim(), value);
    }
    const text = await res.text();
    const location = res.headers.get('location');
    return { status: res.status, headers: res.headers, text, location: location && new URL(location, url).href };
  }

  /** From the platform's login URL to the provider's redirect back to the
   * callback: returns the callback URL (with code and state), not yet visited. */
  async loginAtProvider(loginUrl, account) {
    const start = await this.fetch(loginUrl);
    if (start.status !== 302) throw new Error(`login answered ${start.status}: ${start.text}`);
    let url = start.location;
    for (let hop = 0; hop < 20; hop++) {
      if (url.includes('/auth/esia/callback')) return url;
      const page = await this.fetch(url);
      if (page.status >= 300 && page.status < 400) { url = page.location; continue; }
      if (page.status !== 200) throw new Error(`provider answered ${page.status} at ${url}: ${page.text.slice(0, 300)}`);
      const form = page.text.match(/<form[^>]*action="([^"]+)"/);
      if (!form) throw new Error(`no form at ${url}`);
      const fields = page.text.includes('name="login"')
        ? { prompt: 'login', login: account, password: 'any' }
        : { prompt: 'consent' };
      const posted = await this.fetch(new URL(form[1], url).href, { method: 'POST',
        body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      if (posted.status < 300 || posted.status >= 400) throw new Error(`form post answered ${posted.status}`);
      url = posted.location;
    }
    throw new Error('too many redirects at the provider');
  }
}
