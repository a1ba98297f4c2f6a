/** What no answer may contain: a stack frame's file position (`/app/src/x.ts:12:5`), Apollo's stacktrace extension, or a dependency path. */
export const STACK_TRACE = /\.(?:[cm]?js|ts):\d+:\d+|stacktrace|node_modules\//i;
