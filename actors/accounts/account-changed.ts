import type { ServiceBroker } from 'moleculer';

/**
 * The Moleculer event every gateway hears when what a user may do changes (signed out, password
 * changed, token revoked, plan started or ended), so none keeps serving a cached identity.
 */
export const ACCOUNT_CHANGED = 'accounts.changed';

export interface AccountChanged {
  userId: string;
}

export async function announceAccountChange(broker: ServiceBroker, userId: string): Promise<void> {
  await broker.broadcast(ACCOUNT_CHANGED, { userId } satisfies AccountChanged);
}
