/** Exit codes: the contract of spec/cli.md. */
export const EXIT = {
  OK: 0,
  GATE_FAILED: 1,
  INPUT: 2,
  INTERNAL: 3,
  INTERRUPTED: 130,
} as const
