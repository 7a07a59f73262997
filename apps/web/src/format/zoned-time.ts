/**
 * The company wall clock helpers live in @tessera/core, shared with the
 * server (imports read Excel date-times on the company clock too).
 */
export { fromWallClock, toWallClock, WALL_CLOCK_FORMAT } from '@tessera/core'
