/** An operator as json-logic-js calls it: the data as `this`, arguments evaluated. */
export type Operator = (this: unknown, ...args: unknown[]) => unknown

export type OperatorTable = Record<string, Operator>
