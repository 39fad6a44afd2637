/** A browser: one cookie jar, redirects followed one hop at a time so tests can watch and tamper. */
export class RedirectBrowser {
  readonly cookies = new Map<string, string>();
  readonly setCookies: string[] = [];

  async get(url: URL): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const expires = attributes.find((a) => /^expires=/i.test(a))?.slice('expires='.length);
      if (pair.slice(eq + 1) === '' || (expires !== undefined && Date.parse(expires) < Date.now()))
        this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
    return res;
  }

  /** Follows redirects until the app sends the browser to one of its pages (`/app`, `/signin`). */
  async follow(start: URL, rewrite: (hop: URL) => URL = (hop) => hop): Promise<URL> {
    let url = rewrite(start);
    for (let hop = 0; hop < 10; hop++) {
      const res = await this.get(url);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location)
        throw new Error(`${url.href} answered ${res.status}: ${await res.text()}`);
      const next = new URL(location, url);
      if (next.pathname === '/app' || next.pathname === '/signin') return next;
      url = rewrite(next);
    }
    throw new Error('too many redirects');
  }
}
