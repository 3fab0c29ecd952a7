/** The shape of a precompiled ajv validator (ajv standalone output, with verbose errors). */
export interface AjvError {
  instancePath: string
  schemaPath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
  schema?: unknown
  parentSchema?: Record<string, unknown>
  data?: unknown
}

export interface ValidateFunction {
  (data: unknown): boolean
  errors?: AjvError[] | null
}
