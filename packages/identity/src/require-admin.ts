/** Identity administration is for admins only (the check lives in core, shared by every package). */
export { requireAdmin } from '@tessera/core'
