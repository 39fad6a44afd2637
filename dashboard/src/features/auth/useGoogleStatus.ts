import { api } from '../../api/client';
import { useLoad } from '../../app/useLoad';

export interface GoogleStatus {
  available: boolean;
  start?: string;
}

/** Whether this installation offers "Continue with Google" (it needs an OAuth client configured). */
export function useGoogleStatus(): GoogleStatus | undefined {
  return useLoad((signal) => api.get<GoogleStatus>('/auth/google/status', {}, signal), []).data;
}
