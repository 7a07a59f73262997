export { Database, openDatabase } from './database.js'
export { PREPARE } from './prepared-statements.js'
export type { Db, Trx, Executor, DatabaseKind, OpenDatabaseOptions } from './database.js'
export { migrate, SYSTEM_SCHEMA } from './migrations.js'
export { Catalog } from './catalog.js'
export type { AppSummary, FormSummary, MetaSummary } from './catalog.js'
export { RecordQuery, titleExpression, MAX_PAGE_SIZE, readStoredRecords, type LinkOption } from './record-query.js'
export type { RowScope, ReadPolicy, ListOptions, RecordPage } from './record-query.js'
export { RecordService, MAX_EXPORT_ROWS } from './records.js'
export type { WriteOptions, ReadOptions, OptionsRequest, RecordServiceOptions } from './records.js'
export { Permissions, forbidden } from './access/permissions.js'
export { RoleGrants } from './access/role-grants.js'
export { rowCondition, MAX_VIA_DEPTH } from './access/row-rule-sql.js'
export type { RowRuleContext } from './access/row-rule-sql.js'
export { checkRoleSpec } from './access/check-role-spec.js'
export type { RoleSpecContext } from './access/check-role-spec.js'
export { RoleDocuments } from './access/role-documents.js'
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
export type { WrittenRecords } from './write/rollups.js'
export { refusedRecords } from './write/agreements.js'
export {
  CLOSED_THROUGH_SETTING,
  closedPeriodIssue,
  closedThroughForWrite,
  lockCloseForChange,
  refuseClosedPeriod,
  type PeriodWrite,
} from './write/closed-periods.js'
export { translateWriteError } from './write-errors.js'
export type { RevealTotals } from './write/constraints.js'
export type { ReadScope } from './access/write-guard.js'
export { autonumbersFor, nextAutonumbers, numberingDay } from './write/autonumbers.js'
export { refillLimitTotals } from './write/limit-totals.js'
export { backupDatabase, restoreDatabase, backupKind, safeUrl } from './backup.js'
export type { BackupResult } from './backup.js'
export { listFormDesigns, readFormDesign, sameDesign } from './form-designs.js'
export type { FormDesign, FormDesignSummary } from './form-designs.js'
export { emptyRequiredFields, optionsStillHeld, previewPublish } from './publish-preview.js'
export { publishChanges } from './publish-changes.js'
export { publishRefusal } from './publish-refusal.js'
export type { PublishChanges, ChangedField, RetypedField, RetypeStatus } from './publish-changes.js'
export { FileStore, FOLDER_OWNER_FILE, cleanName, databaseIdentity, formatBytes } from './files/file-store.js'
export type { StoredFile, SaveInput } from './files/file-store.js'
export { addPeopleTitles, TITLE_SEPARATOR } from './people-titles.js'
export { idsOf, withCreateDefaults } from './write/people-refs.js'
export { ListViews } from './list-views.js'
export type { ListView, ListViewInput } from './list-views.js'
export type { ListViewSpec } from './list-view-spec.js'
export { EXACT_COUNT_UP_TO } from './list-count.js'
export type { ListTotal } from './list-count.js'
export { writeLines } from './write/line-items.js'
export { recomputeDerived, type Recomputed } from './write/recompute.js'
export { withRetries, type GiveUp } from './write/retries.js'
export { changedSinceInstall } from './template-ownership.js'
export { actorNames } from './history-names.js'
