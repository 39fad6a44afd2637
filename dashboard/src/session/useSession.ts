import { useStore } from '../app/store';
import { session, type SessionState } from './session';

export function useSession(): SessionState {
  return useStore(session);
}
