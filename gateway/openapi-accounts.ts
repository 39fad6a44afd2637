/**
 * The account, billing and authentication parts of the OpenAPI document (`./openapi.ts`): security
 * schemes, shared schemas and error answers, and the `/api/v1/auth`, `/me`, `/tokens` and `/billing` paths.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });

/** An error answer with the shared `{error, code, ...data}` body. */
export const failure = (description: string, schema: object = ref('Error')) => ({
  description,
  content: json(schema),
});

/** Either a browser session or an API token. */
export const SIGNED_IN = [{ session: [] }, { bearer: [] }];
/** Only a browser session: managing the account itself. */
const SESSION_ONLY = [{ session: [] }];
/** Open to anyone; a bad Bearer token is still refused with 401 INVALID_TOKEN. */
const OPEN: object[] = [];

const retryAfter = {
  'Retry-After': {
    description: 'Seconds until the limit resets',
    schema: { type: 'integer', minimum: 1 },
  },
};
const rateLimited = {
  description:
    'RATE_LIMITED: too many attempts from this address or on this account; `retryAfter` says when to retry',
  headers: retryAfter,
  content: json({ allOf: [ref('Error'), { required: ['retryAfter'] }] }),
};
const wwwAuthenticate = {
  'WWW-Authenticate': { description: '`Bearer realm="EnergyLive"`', schema: { type: 'string' } },
};
/** 401 on every route that needs a signed-in user. */
export const unauthenticated = {
  description:
    'UNAUTHENTICATED: neither a session cookie nor an API token; INVALID_TOKEN: the Bearer token is unknown or revoked',
  headers: wwwAuthenticate,
  content: json(ref('Error')),
};
/** 402 on every data route. */
export const paymentRequired = failure(
  'PAYMENT_REQUIRED: no running plan (subscription, trial or complimentary access); the answer carries `plan`',
  {
    allOf: [ref('Error'), { type: 'object', required: ['plan'], properties: { plan: ref('Plan') } }],
  },
);
const csrfRefused =
  "CSRF: the Origin (or Sec-Fetch-Site) is not EnergyLive's, or a request with a session cookie lacks its X-CSRF-Token";
const badBody = (codes: string) =>
  failure(
    `${codes}; \`parameter\` names the field, also a field the route does not take (BAD_PARAMETER). BAD_REQUEST: the body is not JSON, or not a JSON object`,
  );
/** The answers of every route that reads a JSON body, besides its 400. */
const jsonBodyRefusals = {
  413: failure(
    'PAYLOAD_TOO_LARGE: the body is over 16 kB (16384 bytes); nothing more of it is read, and the connection closes',
  ),
  415: failure('UNSUPPORTED_MEDIA_TYPE: the body is not application/json'),
};
/** The body of a route that takes no fields: none at all, or an empty JSON object. */
const noFields = {
  required: false,
  content: json({ type: 'object', additionalProperties: false, maxProperties: 0 }),
};

const csrfHeader = {
  name: 'X-CSRF-Token',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description:
    "Required with a session cookie: the session's `csrfToken` (from sign-in or GET /api/v1/me). Not needed with a Bearer token.",
};
const setCookie = {
  'Set-Cookie': {
    description:
      'The new session cookie (`energylive_session`, `__Host-energylive_session` over HTTPS); HttpOnly, SameSite=Lax',
    schema: { type: 'string' },
  },
};
const body = (properties: Record<string, object>, required: string[] = Object.keys(properties)) => ({
  required: true,
  content: json({ type: 'object', required, properties, additionalProperties: false }),
});
const status = (value: string) => ({
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', const: value } },
});
const ok = (schema: object, description = 'OK') => ({ description, content: json(schema) });
const signedIn = (description: string) => ({
  description,
  headers: setCookie,
  content: json(ref('SignedIn')),
});
const url = (description: string) =>
  ok(
    { type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri' } } },
    description,
  );
const redirect = (description: string) => ({
  description,
  headers: { Location: { schema: { type: 'string' } } },
});

const email = {
  type: 'string',
  format: 'email',
  maxLength: 254,
  description:
    'an address: a dot-atom local part of at most 64 octets (no quotes, spaces or control characters), a resolvable domain name (internationalised names allowed), 254 octets in all',
};
const password = {
  type: 'string',
  minLength: 8,
  maxLength: 128,
  description:
    "a new password: 8 to 128 characters, not only spaces or invisible characters, no control characters (NUL, tabs, line breaks), not one character repeated, without the local part of the account's email (4 characters or more) or the product name, not among the most common passwords; WEAK_PASSWORD says which rule it breaks",
};
/** A password as typed to sign in or to prove the current one: only ever compared with its hash. */
const typedPassword = { type: 'string', maxLength: 1024 };
const linkToken = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{16,128}$',
  description: 'the token of the link in the email',
};

const isoTime = { type: ['string', 'null'], format: 'date-time' };

/** Component schemas shared by the paths. */
export const ACCOUNT_SCHEMAS = {
  Error: {
    type: 'object',
    required: ['error'],
    description:
      'Every error answer. `code` names the error (absent only on a query 400, a 404 and a 5xx); further fields depend on it.',
    properties: {
      error: { type: 'string', description: 'what went wrong, for people' },
      code: { type: 'string', example: 'PAYMENT_REQUIRED' },
      parameter: { type: 'string', description: 'the query parameter or body field at fault' },
      retryAfter: { type: 'integer', description: 'RATE_LIMITED: seconds until the limit resets' },
      plan: ref('Plan'),
      status: { type: 'string', description: 'ALREADY_SUBSCRIBED: the subscription status' },
    },
  },
  Plan: {
    type: 'object',
    required: ['status', 'entitled', 'paidUntil', 'daysLeft', 'cancelAtPeriodEnd', 'complimentaryUntil'],
    properties: {
      status: {
        type: 'string',
        description:
          "Stripe's subscription status (`active`, `trialing`, `past_due`, `canceled`…), `complimentary` for access granted by an operator, or `none`",
        example: 'active',
      },
      entitled: { type: 'boolean', description: 'whether the data API is open to this user now' },
      paidUntil: { ...isoTime, description: 'end of the paid, trial or granted period' },
      daysLeft: { type: 'integer', minimum: 0 },
      cancelAtPeriodEnd: { type: 'boolean' },
      complimentaryUntil: { ...isoTime, description: "end of an operator's running grant" },
    },
  },
  User: {
    type: 'object',
    required: ['id', 'email'],
    properties: { id: { type: 'string', format: 'uuid' }, email: { type: 'string', format: 'email' } },
  },
  SignedIn: {
    type: 'object',
    required: ['user', 'csrfToken'],
    properties: {
      user: ref('User'),
      csrfToken: { type: 'string', description: 'send as X-CSRF-Token on state-changing requests' },
    },
  },
  Profile: {
    type: 'object',
    required: ['id', 'email', 'signIn', 'plan'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      email: { type: 'string', format: 'email' },
      signIn: {
        type: 'array',
        items: { type: 'string', enum: ['password', 'google'] },
        description: 'the ways this account can sign in',
      },
      plan: ref('Plan'),
    },
  },
  ApiToken: {
    type: 'object',
    required: ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 1, maxLength: 100 },
      prefix: {
        type: 'string',
        description: "the token's first 12 characters, to tell tokens apart",
        example: 'elk_Xq3vT9aB',
      },
      createdAt: { type: 'string', format: 'date-time' },
      lastUsedAt: { ...isoTime, description: 'to the minute' },
    },
  },
  ApiTokenCreated: {
    allOf: [
      ref('ApiToken'),
      {
        type: 'object',
        required: ['token'],
        properties: {
          token: {
            type: 'string',
            pattern: '^elk_[A-Za-z0-9_-]+$',
            description: 'the secret: shown in this answer only, send it as `Authorization: Bearer <token>`',
          },
        },
      },
    ],
  },
};

export const SECURITY_SCHEMES = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'energylive_session',
    description:
      "The browser session set by sign-in: HttpOnly, SameSite=Lax; named `__Host-energylive_session` when EnergyLive is served over HTTPS. State-changing requests with it must send the X-CSRF-Token header and come from EnergyLive's own origin.",
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A personal API token (`elk_…`) from POST /api/v1/tokens, as `Authorization: Bearer <token>`. Takes precedence over a session cookie; an unknown or revoked token is refused with 401 INVALID_TOKEN on every /api/v1 route.',
  },
};

/** `/api/v1/auth/*`, `/api/v1/me`, `/api/v1/tokens` and `/api/v1/billing/*`. */
export const ACCOUNT_PATHS = {
  '/api/v1/auth/signup': {
    post: {
      summary:
        'Sign up: emails a confirmation link for a new address, or a note to an existing account; the answer is the same either way',
      security: OPEN,
      requestBody: body({ email, password }),
      responses: {
        202: ok(status('confirmation_sent'), 'Accepted; at most 3 emails per address and hour are sent'),
        400: badBody('BAD_PARAMETER (email, password) or WEAK_PASSWORD'),
        ...jsonBodyRefusals,
        403: failure(csrfRefused),
        429: rateLimited,
      },
    },
  },
  '/api/v1/auth/signup/confirm': {
    post: {
      summary: 'Confirm a sign-up link (once): creates the account and signs the browser in',
      security: OPEN,
      requestBody: body({ token: linkToken }),
      responses: {
        200: signedIn('Signed in; a previous session of this browser ends'),
        400: badBody('INVALID_LINK: invalid, used or expired (24 hours); BAD_PARAMETER (token)'),
        ...jsonBodyRefusals,
        403: failure(csrfRefused),
      },
    },
  },
  '/api/v1/auth/login': {
    post: {
      summary: 'Sign in with email and password',
      security: OPEN,
      requestBody: body({ email, password: typedPassword }),
      responses: {
        200: signedIn('Signed in; a previous session of this browser ends'),
        400: badBody('BAD_PARAMETER (email, password)'),
        ...jsonBodyRefusals,
        401: failure('INVALID_CREDENTIALS: wrong email or password'),
        403: failure(csrfRefused),
        429: rateLimited,
      },
    },
  },
  '/api/v1/auth/logout': {
    post: {
      summary: 'Sign out: ends the session and clears its cookie',
      security: SESSION_ONLY,
      parameters: [csrfHeader],
      requestBody: noFields,
      responses: {
        200: {
          ...ok(status('signed_out')),
          headers: { 'Set-Cookie': { description: 'clears the session cookie', schema: { type: 'string' } } },
        },
        400: badBody('BAD_PARAMETER: a field (this route takes none)'),
        ...jsonBodyRefusals,
        401: unauthenticated,
        403: failure(`${csrfRefused}; SESSION_REQUIRED: an API token cannot sign out`),
      },
    },
  },
  '/api/v1/auth/password': {
    post: {
      summary: 'Change the password: ends every session of the account and starts a new one for this browser',
      security: SESSION_ONLY,
      parameters: [csrfHeader],
      requestBody: body(
        {
          current: {
            ...typedPassword,
            description: 'required unless the account has no password yet (Google)',
          },
          password,
        },
        ['password'],
      ),
      responses: {
        200: {
          description:
            'Changed; the new session cookie and CSRF token replace the old ones. API tokens keep working: `tokensKept` says how many, and DELETE /api/v1/tokens revokes them',
          headers: setCookie,
          content: json({
            allOf: [
              ref('SignedIn'),
              {
                type: 'object',
                required: ['tokensKept'],
                properties: { tokensKept: { type: 'integer', minimum: 0 } },
              },
            ],
          }),
        },
        400: badBody('BAD_PARAMETER (current, password) or WEAK_PASSWORD (password)'),
        ...jsonBodyRefusals,
        401: unauthenticated,
        403: failure(
          `WRONG_PASSWORD: the current password is wrong (\`parameter\`: current); SESSION_REQUIRED: not with an API token; ${csrfRefused}`,
        ),
        429: rateLimited,
      },
    },
  },
  '/api/v1/auth/reset': {
    post: {
      summary:
        'Ask for a password reset link; the answer is the same, and given as fast, whether the account exists or not',
      security: OPEN,
      requestBody: body({ email }),
      responses: {
        202: ok(status('reset_sent'), 'Accepted; a link valid for one hour goes out if the account exists'),
        400: badBody('BAD_PARAMETER (email)'),
        ...jsonBodyRefusals,
        403: failure(csrfRefused),
        429: rateLimited,
      },
    },
  },
  '/api/v1/auth/reset/confirm': {
    post: {
      summary:
        "Set a new password with a reset link (once): ends the account's sessions, revokes its API tokens and signs this browser in",
      security: OPEN,
      requestBody: body({ token: linkToken, password }),
      responses: {
        200: signedIn('Password set and signed in'),
        400: badBody(
          'INVALID_LINK (invalid, used or expired), BAD_PARAMETER (token, password) or WEAK_PASSWORD (password)',
        ),
        ...jsonBodyRefusals,
        403: failure(csrfRefused),
        429: rateLimited,
      },
    },
  },
  '/api/v1/auth/google/status': {
    get: {
      summary: 'Whether "Continue with Google" is offered, and where it starts',
      security: OPEN,
      responses: {
        200: ok({
          type: 'object',
          required: ['available'],
          properties: {
            available: { type: 'boolean' },
            start: { type: 'string', const: '/api/v1/auth/connect/google' },
          },
        }),
      },
    },
  },
  '/api/v1/auth/connect/google': {
    get: {
      summary:
        'Browser only: starts "Continue with Google" (authorization code flow with state, nonce and PKCE); mounted only when Google sign-in is configured',
      security: OPEN,
      responses: {
        302: redirect(
          "To Google's consent page, with a short-lived signed cookie (`energylive-oauth`, `__Host-energylive-oauth` over HTTPS); to /signin?error=google when Google cannot be reached",
        ),
        404: failure('Google sign-in is not configured'),
      },
    },
  },
  '/api/v1/auth/connect/google/callback': {
    get: {
      summary: 'Browser only: the redirect URI registered with Google; not called directly',
      security: OPEN,
      responses: {
        302: redirect(
          'On to /api/v1/auth/google/callback; to /signin?error=google without a sign-in in progress',
        ),
      },
    },
  },
  '/api/v1/auth/google/callback': {
    get: {
      summary:
        "Browser only: verifies Google's ID token and signs the browser in, linking an account with the same verified email or creating one",
      security: OPEN,
      responses: {
        302: {
          ...redirect('To /app when signed in (with the session cookie), to /signin?error=google otherwise'),
          headers: { Location: { schema: { type: 'string' } }, ...setCookie },
        },
      },
    },
  },
  '/api/v1/me': {
    get: {
      summary: 'The signed-in account and its plan; with a session, also its CSRF token',
      security: SIGNED_IN,
      responses: {
        200: ok({
          allOf: [
            ref('Profile'),
            {
              type: 'object',
              properties: { csrfToken: { type: 'string', description: 'only with a session cookie' } },
            },
          ],
        }),
        401: unauthenticated,
      },
    },
  },
  '/api/v1/tokens': {
    get: {
      summary: "The account's active API tokens (without their secrets)",
      security: SESSION_ONLY,
      responses: {
        200: ok({
          type: 'object',
          required: ['tokens'],
          properties: { tokens: { type: 'array', items: ref('ApiToken') } },
        }),
        401: unauthenticated,
        403: failure('SESSION_REQUIRED: tokens are managed from a browser session'),
      },
    },
    post: {
      summary: 'Create an API token; its secret is in this answer only',
      security: SESSION_ONLY,
      parameters: [csrfHeader],
      requestBody: body({
        name: {
          type: 'string',
          minLength: 1,
          maxLength: 100,
          description:
            '1 to 100 characters once trimmed, all printable: no control characters, line separators or bidirectional overrides',
        },
      }),
      responses: {
        201: {
          description: 'Created (Cache-Control: no-store)',
          content: json(ref('ApiTokenCreated')),
        },
        400: badBody('BAD_PARAMETER (name)'),
        ...jsonBodyRefusals,
        401: unauthenticated,
        403: failure(`SESSION_REQUIRED: not with an API token; ${csrfRefused}`),
        409: failure('TOO_MANY_TOKENS: at most 25 are active; revoke one first'),
      },
    },
    delete: {
      summary:
        'Revoke every API token of the account (after a password change, say): they stop working at once',
      security: SESSION_ONLY,
      parameters: [csrfHeader],
      responses: {
        200: ok({
          type: 'object',
          required: ['status', 'revoked'],
          properties: {
            status: { type: 'string', const: 'revoked' },
            revoked: { type: 'integer', minimum: 0, description: 'how many tokens were active' },
          },
        }),
        401: unauthenticated,
        403: failure(`SESSION_REQUIRED: not with an API token; ${csrfRefused}`),
      },
    },
  },
  '/api/v1/tokens/{id}': {
    delete: {
      summary: 'Revoke an API token: it stops working at once, and streams opened with it end',
      security: SESSION_ONLY,
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        csrfHeader,
      ],
      responses: {
        200: ok(status('revoked')),
        400: failure('BAD_PARAMETER: not a token id'),
        401: unauthenticated,
        403: failure(`SESSION_REQUIRED: not with an API token; ${csrfRefused}`),
        404: failure('NOT_FOUND: no such active token of this account'),
      },
    },
  },
  '/api/v1/billing/status': {
    get: {
      summary: 'Whether this installation sells subscriptions, and the trial length',
      security: OPEN,
      responses: {
        200: ok({
          type: 'object',
          required: ['available', 'trialDays'],
          properties: {
            available: { type: 'boolean', description: 'false without Stripe keys: nobody can subscribe' },
            trialDays: { type: 'integer', minimum: 0 },
            priceId: { type: 'string', description: 'the Stripe price of the monthly plan, when available' },
          },
        }),
      },
    },
  },
  '/api/v1/billing/checkout': {
    post: {
      summary: 'A Stripe Checkout page for the monthly plan; send the browser to `url`',
      security: SESSION_ONLY,
      parameters: [csrfHeader],
      requestBody: noFields,
      responses: {
        200: url('The Checkout page'),
        400: badBody('BAD_PARAMETER: a field (this route takes none)'),
        ...jsonBodyRefusals,
        401: unauthenticated,
        403: failure(`SESSION_REQUIRED: not with an API token; ${csrfRefused}`),
        409: failure('ALREADY_SUBSCRIBED (with `status`): manage the subscription in the portal'),
        503: failure('BILLING_UNAVAILABLE: this installation has no Stripe keys'),
      },
    },
  },
  '/api/v1/billing/portal': {
    post: {
      summary:
        'The Stripe customer portal: payment details, invoices, cancellation; send the browser to `url`',
      security: SESSION_ONLY,
      parameters: [csrfHeader],
      requestBody: noFields,
      responses: {
        200: url('The portal page'),
        400: badBody('BAD_PARAMETER: a field (this route takes none)'),
        ...jsonBodyRefusals,
        401: unauthenticated,
        403: failure(`SESSION_REQUIRED: not with an API token; ${csrfRefused}`),
        409: failure('NO_BILLING_ACCOUNT: this account has not subscribed yet'),
        503: failure('BILLING_UNAVAILABLE: this installation has no Stripe keys'),
      },
    },
  },
  '/api/v1/billing/webhook': {
    post: {
      summary:
        "Stripe's webhook: the signature covers the raw body, which is read unparsed; no session, token or CSRF token applies",
      security: OPEN,
      parameters: [
        {
          name: 'Stripe-Signature',
          in: 'header',
          required: true,
          schema: { type: 'string' },
          description: "Stripe's signature of the raw body; older than five minutes is refused",
        },
      ],
      requestBody: {
        required: true,
        description: 'A Stripe event, exactly as Stripe sent it; at most 1 MiB',
        content: json({ type: 'object' }),
      },
      responses: {
        200: ok({ type: 'object', required: ['received'], properties: { received: { const: true } } }),
        400: failure(
          'BAD_SIGNATURE: the Stripe-Signature header is missing or wrong, or dated more than 5 minutes before or after now; MALFORMED_EVENT: signed, but not a Stripe event (not JSON, no id, type or data object, an id or type that is not 1 to 255 printable ASCII characters, or a field of the wrong type); nothing is stored',
        ),
        413: failure(
          'PAYLOAD_TOO_LARGE: over 1 MiB (declared or streamed); nothing more of it is read, and the connection closes',
        ),
        503: failure('BILLING_UNAVAILABLE: this installation has no Stripe keys'),
      },
    },
  },
};
