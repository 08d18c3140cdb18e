import { test as base } from '@playwright/test';
import { Api } from './api';
import { storeFor, type Store } from './store';

/** The *.api.spec.ts suites' test: `api` talks to the project's server (its baseURL); `store` reads that server's store. */
export const test = base.extend<{ api: Api; store: Store }>({
  // Playwright's fixture callback is conventionally named `use`; the React hooks lint rule mistakes it for React's.
  api: async ({ baseURL }, provide) => {
    await provide(new Api(baseURL!));
  },
  store: async ({ baseURL }, provide) => {
    const store = storeFor(baseURL!);
    await provide(store);
    await store.close();
  },
});
