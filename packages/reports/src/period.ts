/**
 * Periods live in @tessera/core so that the web app computes the same
 * defaults and previous periods as the engine; re-exported here because
 * they are part of the report engine's contract.
 */
export {
  PERIOD_DEFAULTS,
  type Period,
  type PeriodDefault,
  isPeriodDefault,
  parsePeriod,
  periodAround,
  periodOf,
  previousPeriod,
} from '@tessera/core'
