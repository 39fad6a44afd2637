import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { send } from '@koa/send';
import type Koa from 'koa';

export interface DashboardFilesOptions {
  /** The built web app (`npm run build:dashboard`); default `dashboard/dist` of this installation. */
  root?: string;
}

export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

/**
 * Answered by the ops routes, or (`/metrics`, on the health port only) by a plain 404: a probe or a
 * scraper must never get a page instead.
 */
const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Vite puts every hashed bundle, stylesheet and asset here; a new build gets new names. */
const ASSETS_PREFIX = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The app needs nothing from other origins: scripts, styles and data are same-origin, chart and map
 * libraries set inline styles, and PNG export draws through data: and blob: URLs. Stripe and Google are
 * reached by navigating the whole page, which no directive here restricts.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function setSecurityHeaders(ctx: Koa.Context): void {
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'same-origin');
}

/**
 * `@koa/send` answers with the build's `.br` or `.gz` copy when the browser accepts it; caches must keep
 * one answer per encoding.
 */
function varyByEncoding(ctx: Koa.Context): void {
  ctx.vary('Accept-Encoding');
}

/** Routes match case-sensitively; `/API/…` is still no page of the web app, but an unknown API path. */
function isApiOrOps(pathname: string): boolean {
  const lower = pathname.toLowerCase();
  return lower === '/api' || lower.startsWith('/api/') || OPS_PATHS.has(lower);
}

/** A browser navigating to a page says so; API clients and scripts asking for JSON keep their 404. */
function wantsPage(ctx: Koa.Context): boolean {
  return ctx.get('accept').includes('text/html');
}

function isNotFound(err: unknown): boolean {
  return (err as { status?: unknown } | null)?.status === 404;
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The subscribers' web app, mounted after every API route: hashed files under `/assets/` cached for a
 * year, and `index.html` for any other page a browser asks for, so the app's own router takes over
 * (including its not-found view). Paths are resolved inside the root by `@koa/send`, which refuses
 * `..` and hidden files.
 */
export function dashboardFiles(options: DashboardFilesOptions = {}): Koa.Middleware {
  const root = path.resolve(options.root ?? DEFAULT_DASHBOARD_DIR);
  const index = path.join(root, 'index.html');

  const serveAsset = async (ctx: Koa.Context): Promise<void> => {
    try {
      await send(ctx, ctx.path, {
        root,
        // Only on success: a missing asset must not be remembered for a year.
        setHeaders: (res) => {
          res.setHeader('Cache-Control', IMMUTABLE);
        },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (ctx.body === undefined || ctx.body === null) return;
    setSecurityHeaders(ctx);
    varyByEncoding(ctx);
  };

  const servePage = async (ctx: Koa.Context): Promise<void> => {
    if (!(await exists(index))) {
      ctx.status = 503;
      ctx.body = {
        error: 'the web app is not built: run `npm run build:dashboard`',
        code: 'DASHBOARD_NOT_BUILT',
      };
      return;
    }
    // Revalidated on every visit: it names the current build's hashed assets.
    ctx.set('Cache-Control', 'no-cache');
    setSecurityHeaders(ctx);
    varyByEncoding(ctx);
    await send(ctx, 'index.html', { root });
  };

  return async (ctx, next) => {
    if (isApiOrOps(ctx.path)) {
      await next();
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      // Every other path is a page of the web app, which is only ever read.
      ctx.set('Allow', 'GET, HEAD');
      ctx.status = 405;
      return;
    }
    if (ctx.path.startsWith(ASSETS_PREFIX)) {
      await serveAsset(ctx);
      return;
    }
    if (!wantsPage(ctx)) {
      await next();
      return;
    }
    await servePage(ctx);
  };
}
