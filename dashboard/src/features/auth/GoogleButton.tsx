import { useGoogleStatus } from './useGoogleStatus';

/** Where the browser starts Google's sign-in; the server answers with redirects and ends at `/app`. */
const GOOGLE_START = '/api/v1/auth/connect/google';

/** "Continue with Google", shown only when the installation offers it, above an "or" divider. */
export function GoogleButton() {
  const status = useGoogleStatus();
  if (!status?.available) return null;
  return (
    <>
      <a class="button button-block google-button" href={status.start ?? GOOGLE_START}>
        <svg viewBox="0 0 48 48" aria-hidden="true" focusable="false" class="google-logo">
          <path
            fill="#EA4335"
            d="M24 9.5c3.5 0 6.6 1.2 9.1 3.6l6.8-6.8C35.8 2.4 30.3 0 24 0 14.6 0 6.6 5.4 2.6 13.3l7.9 6.1C12.4 13.7 17.7 9.5 24 9.5z"
          />
          <path
            fill="#4285F4"
            d="M46.1 24.6c0-1.6-.1-3.1-.4-4.6H24v9h12.4c-.5 2.9-2.2 5.3-4.6 6.9l7.4 5.8c4.3-4 6.9-9.9 6.9-17.1z"
          />
          <path
            fill="#FBBC05"
            d="M10.5 28.6A14.5 14.5 0 0 1 9.5 24c0-1.6.3-3.2.8-4.6l-7.9-6.1A24 24 0 0 0 0 24c0 3.9.9 7.5 2.6 10.7l7.9-6.1z"
          />
          <path
            fill="#34A853"
            d="M24 48c6.5 0 11.9-2.1 15.9-5.8l-7.4-5.8c-2.1 1.4-4.8 2.3-8.5 2.3-6.3 0-11.6-4.2-13.5-10l-7.9 6.1C6.6 42.6 14.6 48 24 48z"
          />
        </svg>
        Continue with Google
      </a>
      <p class="divider">
        <span>or with your email</span>
      </p>
    </>
  );
}
