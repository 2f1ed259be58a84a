import { createHash } from 'node:crypto';
import { normalizedOrigin } from '../server/cross-origin.js';

/**
 * Headers on the UI's responses (index.html and its assets). The policy is what the built app needs:
 * its own scripts (and index.html's inline ones, by hash: the theme set before first paint), styles (inline style attributes too: the charts set them), images and fonts
 * (data: and blob: for generated ones), requests and workers to its own origin; no plugins, no
 * <base>, forms only to itself.
 *
 * Frames: `session.view()` puts the app in an <iframe> of the notebook's page, which runs on the same
 * machine as the app it launched (Jupyter on localhost:8888, a VS Code notebook's webview). So
 * frame-ancestors admits this origin, loopback origins on any port, and VS Code's webviews; any other
 * site may not frame the app (clickjacking), unless PHOENIX_ALLOWED_ORIGINS lists it (a notebook
 * served from another origin; `*` there admits any site). X-Frame-Options is left out: it cannot
 * name a list, and every browser that reads CSP obeys frame-ancestors over it.
 */
export const UI_FRAME_ANCESTORS = [
  "'self'",
  'http://localhost:*',
  'http://127.0.0.1:*',
  'http://[::1]:*',
  'https://localhost:*',
  'https://127.0.0.1:*',
  'vscode-webview:',
];

/** The CSP hash sources of a page's inline scripts (`<script>` without `src`). */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(match[1] ?? '')) continue;
    hashes.push(
      `'sha256-${createHash('sha256')
        .update(match[2] ?? '', 'utf8')
        .digest('base64')}'`,
    );
  }
  return hashes;
}

/** frame-ancestors' sources: UI_FRAME_ANCESTORS and the origins of PHOENIX_ALLOWED_ORIGINS. */
export function frameAncestors(allowedOrigins: readonly string[] = []): string[] {
  const extra = allowedOrigins.flatMap((o) => (o.trim() === '*' ? ['*'] : (normalizedOrigin(o) ?? [])));
  return [...new Set([...UI_FRAME_ANCESTORS, ...extra])];
}

export function contentSecurityPolicy(
  scriptHashes: readonly string[],
  allowedOrigins: readonly string[] = [],
): string {
  return [
    "default-src 'self'",
    ["script-src 'self'", ...scriptHashes].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors(allowedOrigins).join(' ')}`,
  ].join('; ');
}

/**
 * The headers of a UI response, for the app whose index.html is `indexHtml`; `allowedOrigins`
 * (PHOENIX_ALLOWED_ORIGINS) may frame it besides this machine's notebooks.
 */
export function uiSecurityHeaders(
  indexHtml: string,
  allowedOrigins: readonly string[] = [],
): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(inlineScriptHashes(indexHtml), allowedOrigins),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
}
