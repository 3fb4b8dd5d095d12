import type { AppRouter } from '@stagegate/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import { UsageError } from './errors.js';

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export interface Connection {
  url: string;
  token: string;
}

/** Where the API is and who is asking: --url/--token, else STAGEGATE_URL/STAGEGATE_TOKEN. */
export function connectionFrom(options: { url?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): Connection {
  const url = options.url ?? env.STAGEGATE_URL ?? 'http://localhost:3000';
  const token = options.token ?? env.STAGEGATE_TOKEN;
  if (!token) throw new UsageError('--token (or STAGEGATE_TOKEN) is required: an operator API token');
  if (!URL.canParse(url)) throw new UsageError(`--url: "${url}" is not a URL`);
  return { url: url.replace(/\/+$/, ''), token };
}

/** A typed client of the API over plain HTTP (one request per call: a CLI makes one or two). */
export function createApiClient({ url, token }: Connection): ApiClient {
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
}
