/**
 * What each role may do. The roles are ordered: each holds every right of the ones
 * before it (viewer < analyst < admin).
 */
import { ROLES, type Role } from '../schemas/access-schemas.js';

export type Permission = 'read' | 'annotate' | 'import' | 'manage-tokens';

const minimumRole: Readonly<Record<Permission, Role>> = {
  read: 'viewer',
  annotate: 'analyst',
  import: 'analyst',
  'manage-tokens': 'admin',
};

/** Words for a 403 message: "a viewer token may not <...>". */
export const PERMISSION_VERBS: Readonly<Record<Permission, string>> = {
  read: 'read case data',
  annotate: 'write annotations or saved views',
  import: 'import tags',
  'manage-tokens': 'manage tokens',
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimumRole[permission]);
}
