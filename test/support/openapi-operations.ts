/** A schema as far as a request generator needs it. */
export interface ParamSchema {
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  example?: unknown;
  format?: string;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
}

export interface OperationParam {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required: boolean;
  schema: ParamSchema;
}

/** Who the document says may call an operation. */
export type Security = 'open' | 'signed_in' | 'session_only';

/** One path and method of an OpenAPI document. */
export interface Operation {
  /** The path as the document writes it, with `{placeholders}`. */
  path: string;
  method: string;
  params: OperationParam[];
  /** Properties of a JSON object body, when the operation takes one. */
  body?: { required: string[]; properties: Record<string, ParamSchema> };
  /** The operation takes a body that is not a described JSON object (Stripe's webhook). */
  opaqueBody: boolean;
  security: Security;
  /** Statuses the document lists. */
  responses: string[];
}

interface RawOperation {
  parameters?: { name: string; in: OperationParam['in']; required?: boolean; schema?: ParamSchema }[];
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  security?: Record<string, unknown>[];
  responses?: Record<string, unknown>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function security(raw: RawOperation['security']): Security {
  if (!raw || raw.length === 0) return 'open';
  const schemes = raw.flatMap((s) => Object.keys(s));
  return schemes.includes('bearer') ? 'signed_in' : 'session_only';
}

function jsonBody(raw: RawOperation['requestBody']): Operation['body'] | 'opaque' | undefined {
  const schema = raw?.content?.['application/json']?.schema;
  if (!raw) return undefined;
  const properties = schema?.properties as Record<string, ParamSchema> | undefined;
  // `{"type":"object","additionalProperties":false}` is a JSON object of no fields (sign-out, checkout).
  if (!properties)
    return schema?.additionalProperties === false ? { required: [], properties: {} } : 'opaque';
  return { required: (schema?.required as string[] | undefined) ?? [], properties };
}

/** Every path and method the document describes, in document order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const body = jsonBody(raw.requestBody);
      out.push({
        path,
        method: method.toUpperCase(),
        params: (raw.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          schema: p.schema ?? {},
        })),
        ...(body && body !== 'opaque' ? { body } : {}),
        opaqueBody: body === 'opaque',
        security: security(raw.security),
        responses: Object.keys(raw.responses ?? {}),
      });
    }
  }
  return out;
}

/** The methods the document gives a path. */
export function methodsOf(doc: OpenApiDocument, path: string): string[] {
  return Object.keys(doc.paths[path] ?? {})
    .filter((m) => METHODS.includes(m))
    .map((m) => m.toUpperCase());
}
