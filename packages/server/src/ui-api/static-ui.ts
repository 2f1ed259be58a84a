import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { uiSecurityHeaders } from './security-headers.js';

/** packages/ui/dist, found from this module in src/ui (tests) and in dist/ui (built) alike. */
export const DEFAULT_UI_DIST = fileURLToPath(new URL('../../../ui/dist/', import.meta.url));

/** Paths that belong to the server, never to the single-page app (their unknown sub-paths are 404s). */
const SERVER_PATHS = [
  '/v1',
  '/healthz',
  '/readyz',
  '/openapi.json',
  '/docs',
  '/arize_phoenix_version',
  '/version',
  '/auth',
];

export function isServerPath(path: string): boolean {
  return SERVER_PATHS.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fawkes</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}
code{background:#eee;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>Fawkes is running</h1>
<p>The web UI is not built yet. Build it from the repository root with <code>npm run build</code>
(or <code>npm run build -w @fawkes/ui</code>), then reload this page.</p>
<p>Meanwhile the server works: send traces to <code>/v1/traces</code> (OTLP), use the REST API under
<code>/v1</code>, see <a href="/docs">the API documentation</a>.</p></body></html>`;

/**
 * Serves the built UI at `/`: files from the build as they are (hashed assets cached for a year),
 * any other path as index.html so that deep links survive a reload. Server routes are never shadowed:
 * a wildcard loses to every declared route, and unknown server paths stay 404s.
 */
export async function staticUi(
  app: FastifyInstance,
  options: {
    distDir?: string;
    /** PHOENIX_ALLOWED_ORIGINS: may frame the app (CSP frame-ancestors), besides this machine's notebooks. */
    allowedOrigins?: readonly string[];
  },
): Promise<void> {
  const root = options.distDir ?? DEFAULT_UI_DIST;
  await app.register(fastifyStatic, { root, serve: false });

  // Read again when the build changes (its inline scripts' hashes go into the policy).
  let headers: { mtimeMs: number; values: Record<string, string> } | null = null;
  const securityHeaders = () => {
    const index = join(root, 'index.html');
    const mtimeMs = existsSync(index) ? statSync(index).mtimeMs : -1;
    if (headers?.mtimeMs !== mtimeMs) {
      headers = {
        mtimeMs,
        values: uiSecurityHeaders(
          mtimeMs < 0 ? NOT_BUILT_PAGE : readFileSync(index, 'utf8'),
          options.allowedOrigins,
        ),
      };
    }
    return headers.values;
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = decodedPath(request.url);
    if (path === null || isServerPath(path)) return reply.callNotFound();
    reply.headers(securityHeaders());
    if (!existsSync(join(root, 'index.html'))) {
      return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    const file = normalize(path).replace(/^[/\\]+/, '');
    const full = join(root, file);
    if (file !== '' && full.startsWith(root.endsWith(sep) ? root : root + sep) && isFile(full)) {
      const immutable = file.startsWith(`assets${sep}`) || file.startsWith('assets/');
      return reply.sendFile(file, root, {
        cacheControl: true,
        immutable,
        maxAge: immutable ? 365 * 24 * 3600 * 1000 : 0,
      });
    }
    // A missing asset is a 404; anything else is a page of the app (whose names may hold dots).
    const isAsset = file.startsWith('assets/') || file.startsWith(`assets${sep}`) || !/[/\\]/.test(file);
    if (isAsset && extname(file) !== '') return reply.callNotFound();
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', root, { cacheControl: false });
  };
  app.get('/', handler);
  app.get('/*', handler);
}

function decodedPath(url: string): string | null {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return null;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
