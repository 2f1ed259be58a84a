import type { UserRole } from '../store/schema.js';

/**
 * Who may call what, in one table. A row names a route (Fastify's pattern) and a method, or `*`
 * for every method; the first row that matches decides. The routes that manage users and system
 * keys check the role themselves as well (their 403 texts are Phoenix's).
 */
export interface RoleRule {
  method: string;
  route: string | RegExp;
  roles: readonly UserRole[];
}

const EVERYONE: readonly UserRole[] = ['SYSTEM', 'ADMIN', 'MEMBER', 'VIEWER'];
const WRITERS: readonly UserRole[] = ['SYSTEM', 'ADMIN', 'MEMBER'];
const ADMINS: readonly UserRole[] = ['SYSTEM', 'ADMIN'];

export const ROLE_TABLE: readonly RoleRule[] = [
  // One's own session and keys: every user, VIEWER included (Phoenix lets viewers hold keys).
  { method: '*', route: /^\/auth\//, roles: EVERYONE },
  { method: 'GET', route: '/v1/user', roles: EVERYONE },
  { method: 'PATCH', route: '/v1/user', roles: EVERYONE },
  { method: '*', route: /^\/v1\/user\/api_keys/, roles: EVERYONE },
  // Users and system keys: admins.
  { method: '*', route: /^\/v1\/users(\/|$)/, roles: ADMINS },
  { method: '*', route: /^\/v1\/system\//, roles: ADMINS },
  // Reads: everyone. POST /v1/spans is a query (the filter language), not a write.
  { method: 'GET', route: /.*/, roles: EVERYONE },
  { method: 'HEAD', route: /.*/, roles: EVERYONE },
  { method: 'POST', route: '/v1/spans', roles: EVERYONE },
  // Every other method writes: members and admins.
  { method: '*', route: /.*/, roles: WRITERS },
];

/** The roles that may call `method` on `route`. */
export function rolesFor(method: string, route: string): readonly UserRole[] {
  const rule = ROLE_TABLE.find(
    (r) =>
      (r.method === '*' || r.method === method) &&
      (typeof r.route === 'string' ? r.route === route : r.route.test(route)),
  );
  return rule?.roles ?? WRITERS;
}
