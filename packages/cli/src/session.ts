import { connectionFrom, createApiClient, type ApiClient, type Connection } from './client.js';
import type { Output } from './output.js';

/** What every command works with: where to print, and (made only when needed) the API client. */
export interface Session {
  out: Output;
  connection(): Connection;
  api(): ApiClient;
}

export function createSession(out: Output, options: { url?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): Session {
  let client: ApiClient | undefined;
  const connection = () => connectionFrom(options, env);
  return { out, connection, api: () => (client ??= createApiClient(connection())) };
}
