// Hands the API client to every component under it, so pages and dialogs take the client from context
// instead of props. The console's shell provides the signed-in client; the member preview provides the
// member's own client to the parts that act as that member.
import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from './api-client.js';

const ApiClientContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiClientContext.Provider value={client}>{children}</ApiClientContext.Provider>;
}

/** The nearest provided client; a component outside any ApiProvider is a wiring bug, so it throws. */
export function useApiClient(): ApiClient {
  const client = useContext(ApiClientContext);
  if (!client) throw new Error('useApiClient: no ApiProvider above this component');
  return client;
}
