export { Database, openDatabase } from './database.js'
export type { Db, Trx, Executor, DatabaseKind, OpenDatabaseOptions } from './database.js'
export { migrate, SYSTEM_SCHEMA } from './migrations.js'
export { Catalog } from './catalog.js'
export type { AppSummary, FormSummary, MetaSummary } from './catalog.js'
export { RecordQuery, titleExpression, MAX_PAGE_SIZE } from './record-query.js'
export type { RowScope, ReadPolicy, ListOptions, RecordPage } from './record-query.js'
export { RecordService, MAX_EXPORT_ROWS } from './records.js'
export type { WriteOptions, ReadOptions, RecordServiceOptions } from './records.js'
export { Permissions, forbidden } from './access/permissions.js'
export { RoleGrants } from './access/role-grants.js'
export { rowCondition, MAX_VIA_DEPTH } from './access/row-rule-sql.js'
export type { RowRuleContext } from './access/row-rule-sql.js'
export { checkRoleSpec } from './access/check-role-spec.js'
export type { RoleSpecContext } from './access/check-role-spec.js'
export { RoleDocuments, requireAdmin } from './access/role-documents.js'
export type { RoleWriteOptions } from './access/role-documents.js'
export {
  writeAudit,
  searchAudit,
  recordAudit,
  originContext,
  MAX_AUDIT_PAGE_SIZE,
} from './audit/audit-log.js'
export type { AuditEntry, AuditRow, AuditQuery, AuditPage, AuditOrigin } from './audit/audit-log.js'
export { compileFilter, likePattern } from './filter-sql.js'
export type { FilterOptions } from './filter-sql.js'
export { schemaForApp } from './naming.js'
export { sqlType, hasUniqueIndex, hasColumn } from './ddl.js'
export { RecordLogic, invalidValues } from './write/record-logic.js'
export { nextAutonumbers } from './write/autonumbers.js'
export { backupDatabase, restoreDatabase, backupKind } from './backup.js'
export type { BackupResult } from './backup.js'
