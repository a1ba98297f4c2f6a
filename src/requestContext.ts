import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the service knows about the HTTP request it is serving, for logs and response headers. */
export interface RequestInfo {
  /** The id on every log line the request's logger writes, and in the `x-request-id` response header. */
  requestId: string;
  /** The W3C trace id when the caller sent a valid `traceparent` header. */
  traceId?: string;
}

export const REQUEST_ID_HEADER = 'x-request-id';
export const TRACEPARENT_HEADER = 'traceparent';

/**
 * A caller's request id is used as is when it is short and plain (so it is safe to log and to echo);
 * anything else is replaced by a fresh one rather than trusted.
 */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** `version-traceid-parentid-flags`, lower-case hex, per https://www.w3.org/TR/trace-context/#traceparent-header */
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The trace id of a valid `traceparent` header, or undefined for a missing or invalid one. */
export function parseTraceparent(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = TRACEPARENT_PATTERN.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, , rest] = match;
  // Version ff is forbidden; version 00 has exactly four fields; all-zero ids are invalid.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return undefined;
  return traceId;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The request id of an incoming request: the caller's `x-request-id` when it is plain, else the trace id
 * of a valid W3C `traceparent`, else a new UUID.
 */
export function requestInfoFromHeaders(headers: Record<string, string | string[] | undefined>): RequestInfo {
  const traceId = parseTraceparent(single(headers[TRACEPARENT_HEADER]));
  const given = single(headers[REQUEST_ID_HEADER])?.trim();
  const requestId = given !== undefined && REQUEST_ID_PATTERN.test(given) ? given : (traceId ?? randomUUID());
  return traceId === undefined ? { requestId } : { requestId, traceId };
}

/** Each response's request info, set when its request began (`beginRequest`). */
const infoByResponse = new WeakMap<ServerResponse, RequestInfo>();

/** The request info `beginRequest` attached to this response. */
export function requestInfoOf(res: ServerResponse): RequestInfo | undefined {
  return infoByResponse.get(res);
}

/**
 * Decides a request's id once and echoes it (and a valid `traceparent`) in the response headers; a second
 * call for the same response returns what the first decided.
 */
export function beginRequest(req: IncomingMessage, res: ServerResponse): RequestInfo {
  let info = infoByResponse.get(res);
  if (!info) {
    info = requestInfoFromHeaders(req.headers);
    infoByResponse.set(res, info);
    res.setHeader(REQUEST_ID_HEADER, info.requestId);
    if (info.traceId !== undefined) res.setHeader(TRACEPARENT_HEADER, single(req.headers[TRACEPARENT_HEADER])!.trim());
  }
  return info;
}

/** Express middleware, first in the chain: begins the request (`beginRequest`). */
export function requestContextMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  beginRequest(req, res);
  next();
}
