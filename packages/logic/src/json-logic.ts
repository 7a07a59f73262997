import * as jsonLogicModule from 'json-logic-js'

type JsonLogic = typeof jsonLogicModule

// json-logic-js is a UMD bundle. Node's ESM loader only exposes it as
// `default`, while bundlers may spread its functions onto the namespace.
const loaded = jsonLogicModule as JsonLogic & { default?: JsonLogic }

/** The single json-logic-js instance our operators are registered on. */
export const jsonLogic: JsonLogic = loaded.default ?? loaded
