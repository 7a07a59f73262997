/** Per-call settings that operators such as `today` read. */
export interface EvaluateOptions {
  /** The company time zone for `today`; Asia/Shanghai when absent. */
  timeZone?: string
  /** A fixed "YYYY-MM-DD" for `today` (tests, back-dated runs). */
  today?: string
}

// json-logic-js calls operators with only the data as `this`, so the
// options of the running evaluation sit here. Evaluation is synchronous;
// the stack only matters when an evaluation starts another one.
const stack: EvaluateOptions[] = []

export function currentOptions(): EvaluateOptions {
  return stack[stack.length - 1] ?? {}
}

export function withOptions<T>(options: EvaluateOptions, run: () => T): T {
  stack.push(options)
  try {
    return run()
  } finally {
    stack.pop()
  }
}
