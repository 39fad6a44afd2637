import type { ServiceBroker } from 'moleculer';
import type { Identity, SignedIn } from '../lib/accounts/account-flows.js';
import type { ApiTokenInfo } from '../lib/accounts/api-tokens.js';
import type { Profile } from '../actors/accounts/accounts.service.js';

/** What the gateway asks of the accounts actor. */
export interface AccountsClient {
  signup(params: { email: unknown; password: unknown; ip: string }): Promise<{ status: string }>;
  confirmSignup(params: { token: unknown }): Promise<SignedIn>;
  login(params: { email: unknown; password: unknown; ip: string }): Promise<SignedIn>;
  logout(params: { sessionId: string }): Promise<unknown>;
  changePassword(params: {
    userId: string;
    current: unknown;
    password: unknown;
  }): Promise<SignedIn & { tokensKept: number }>;
  requestReset(params: { email: unknown; ip: string }): Promise<{ status: string }>;
  confirmReset(params: { token: unknown; password: unknown; ip: string }): Promise<SignedIn>;
  identify(params: { sessionId?: string; token?: string }): Promise<Identity | null>;
  me(params: { userId: string }): Promise<Profile>;
  createToken(params: { userId: string; name: unknown }): Promise<ApiTokenInfo & { token: string }>;
  listTokens(params: { userId: string }): Promise<ApiTokenInfo[]>;
  revokeToken(params: { userId: string; id: unknown }): Promise<unknown>;
  revokeAllTokens(params: { userId: string }): Promise<{ status: 'revoked'; revoked: number }>;
  googleSignIn(params: { sub: string; email: string; emailVerified: boolean }): Promise<SignedIn>;
}

export function brokerAccountsClient(broker: ServiceBroker): AccountsClient {
  const call =
    <T>(action: string) =>
    (params: object): Promise<T> =>
      broker.call(`accounts.${action}`, params);
  return {
    signup: call('signup'),
    confirmSignup: call('confirmSignup'),
    login: call('login'),
    logout: call('logout'),
    changePassword: call('changePassword'),
    requestReset: call('requestReset'),
    confirmReset: call('confirmReset'),
    identify: call('identify'),
    me: call('me'),
    createToken: call('createToken'),
    listTokens: call('listTokens'),
    revokeToken: call('revokeToken'),
    revokeAllTokens: call('revokeAllTokens'),
    googleSignIn: call('googleSignIn'),
  };
}
