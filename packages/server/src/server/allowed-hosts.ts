import type { FastifyInstance } from 'fastify';

/**
 * Which `Host` headers the HTTP server answers, against DNS rebinding: a page on attacker.example whose
 * name re-resolves to 127.0.0.1 reaches a loopback-bound server with `Host: attacker.example`. Bound to a
 * loopback address, only loopback names (and those configured) are answered, as Jupyter and Vite do.
 */
export interface HostPolicy {
  /** `any`: every Host (bound to a public address, nothing configured). */
  readonly kind: 'any' | 'listed';
  /** Lower-case host names accepted besides the loopback ones (FAWKES_ALLOWED_HOSTS). */
  readonly names: readonly string[];
}

const LOOPBACK_BIND = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;

export function hostPolicy(bindHost: string, allowedHosts: readonly string[]): HostPolicy {
  const names = allowedHosts.map((name) => name.trim().toLowerCase()).filter(Boolean);
  if (names.includes('*')) return { kind: 'any', names: [] };
  if (names.length === 0 && !LOOPBACK_BIND.test(bindHost)) return { kind: 'any', names: [] };
  return { kind: 'listed', names };
}

/** The host name of a `Host` header (port and IPv6 brackets removed), or null when it is not one. */
export function hostName(header: string): string | null {
  // A Host is a name or address and a port: nothing a URL parser would read as a user, path or query.
  if (!/^[^\s/\\@?#]+$/.test(header)) return null;
  try {
    return new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function isLoopbackName(name: string): boolean {
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

export function hostIsAllowed(header: string | undefined, policy: HostPolicy): boolean {
  if (policy.kind === 'any') return true;
  // HTTP/1.0 clients may send none; browsers always do, and rebinding needs a browser.
  if (header === undefined) return true;
  const name = hostName(header);
  if (name === null) return false;
  return (
    isLoopbackName(name) || policy.names.includes(name) || policy.names.includes(name.replace(/^\[|\]$/g, ''))
  );
}

/** Answers 403 to a request whose Host the policy refuses, before any route (or body parsing) runs. */
export function refuseUnknownHosts(app: FastifyInstance, policy: HostPolicy): void {
  if (policy.kind === 'any') return;
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host;
    if (hostIsAllowed(host, policy)) return;
    await reply
      .code(403)
      .header('connection', 'close')
      .send({
        detail: `Host ${JSON.stringify(host ?? '')} is not allowed: this server answers loopback names and those listed in FAWKES_ALLOWED_HOSTS. Add it there (comma-separated names, or * for any).`,
      });
  });
}
