import { useCallback } from 'preact/hooks';
import { api } from '../../api/client';
import type { ApiToken } from '../../api/types';
import { useLoad, type Loaded } from '../../app/useLoad';

/** A token as created: the secret is in this answer only. */
export type NewToken = ApiToken & { token: string };

export interface Tokens extends Loaded<ApiToken[]> {
  create: (name: string) => Promise<NewToken>;
  revoke: (id: string) => Promise<void>;
  /** Revokes every token of the account; how many were. */
  revokeAll: () => Promise<number>;
}

/** The account's active API tokens, reloaded after each change. */
export function useTokens(): Tokens {
  const loaded = useLoad(
    async (signal) => (await api.get<{ tokens: ApiToken[] }>('/tokens', {}, signal)).tokens,
    [],
  );
  const { reload } = loaded;
  const create = useCallback(
    async (name: string) => {
      const created = await api.post<NewToken>('/tokens', { name });
      reload();
      return created;
    },
    [reload],
  );
  const revoke = useCallback(
    async (id: string) => {
      await api.delete(`/tokens/${encodeURIComponent(id)}`);
      reload();
    },
    [reload],
  );
  const revokeAll = useCallback(async () => {
    const { revoked } = await api.delete<{ revoked: number }>('/tokens');
    reload();
    return revoked;
  }, [reload]);
  return { ...loaded, create, revoke, revokeAll };
}
