import type Koa from 'koa';
import { parse, serialize } from 'cookie';

/**
 * The session cookie: HttpOnly (scripts never see it), SameSite=Lax, Secure, and with the `__Host-`
 * prefix over HTTPS so no subdomain or plain-HTTP page can set or shadow it. Browsers treat
 * http://localhost as secure, so Secure holds there too; a plain-HTTP public host cannot keep a Secure
 * cookie at all and gets none of the two.
 */
export interface SessionCookie {
  name: string;
  read(ctx: Koa.Context): string | undefined;
  set(ctx: Koa.Context, id: string, maxAgeMs: number): void;
  clear(ctx: Koa.Context): void;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function sessionCookie(publicUrl: string): SessionCookie {
  const url = new URL(publicUrl);
  const https = url.protocol === 'https:';
  const secure = https || LOOPBACK.has(url.hostname);
  const name = https ? '__Host-energylive_session' : 'energylive_session';
  const write = (ctx: Koa.Context, value: string, maxAge: number) => {
    ctx.append(
      'Set-Cookie',
      serialize(name, value, { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge }),
    );
  };
  return {
    name,
    read: (ctx) => {
      const header = ctx.get('Cookie');
      return header ? parse(header)[name] : undefined;
    },
    set: (ctx, id, maxAgeMs) => {
      write(ctx, id, Math.floor(maxAgeMs / 1000));
    },
    clear: (ctx) => {
      write(ctx, '', 0);
    },
  };
}
