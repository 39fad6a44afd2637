import { useState } from 'preact/hooks';
import type { ApiToken } from '../../api/types';
import { CopyButton } from '../../app/CopyButton';
import { Field } from '../../app/Field';
import { Loading } from '../../app/Loading';
import { Notice } from '../../app/Notice';
import { useAction } from '../../app/useAction';
import { formatDate } from './plan-summary';
import type { NewToken, Tokens } from './useTokens';

function TokenRow(props: { token: ApiToken; onRevoke: (id: string) => Promise<void> }) {
  const { token } = props;
  const [confirming, setConfirming] = useState(false);
  const revoke = useAction(() => props.onRevoke(token.id));
  return (
    <li class="token">
      <div class="token-main">
        <strong class="token-name">{token.name}</strong>
        <code class="token-prefix">{token.prefix}…</code>
        <p class="token-meta muted small">
          Created {formatDate(token.createdAt)} ·{' '}
          {token.lastUsedAt ? `last used ${formatDate(token.lastUsedAt)}` : 'never used'}
        </p>
      </div>
      {confirming ? (
        <div class="token-actions" role="group" aria-label={`Revoke token ${token.name}?`}>
          <span class="small">Scripts using it stop at once.</span>
          <button
            type="button"
            class="button button-small button-danger"
            disabled={revoke.pending}
            onClick={() => void revoke.run()}
          >
            {revoke.pending ? 'Revoking…' : 'Revoke'}
          </button>
          <button
            type="button"
            class="button button-small"
            onClick={() => {
              setConfirming(false);
            }}
          >
            Keep
          </button>
        </div>
      ) : (
        <div class="token-actions">
          <button
            type="button"
            class="button button-small"
            aria-label={`Revoke token ${token.name}`}
            onClick={() => {
              setConfirming(true);
            }}
          >
            Revoke…
          </button>
        </div>
      )}
      {revoke.error && <Notice tone="error">{revoke.error}</Notice>}
    </li>
  );
}

function CreatedToken(props: { token: NewToken; onDone: () => void }) {
  return (
    <div class="secret" role="status">
      <p>
        <strong>Copy your new token now.</strong> It is shown only this once; EnergyLive keeps only a hash of
        it.
      </p>
      <div class="secret-row">
        <code class="secret-value" tabIndex={0} aria-label={`Token ${props.token.name}`}>
          {props.token.token}
        </code>
        <CopyButton text={props.token.token} />
      </div>
      <p class="muted small">
        Send it as <code>Authorization: Bearer {props.token.prefix}…</code> with every API request.
      </p>
      <button type="button" class="button button-small" onClick={props.onDone}>
        I have copied it
      </button>
    </div>
  );
}

/** Personal API tokens for scripts: list, create (the secret shown once), revoke. */
export function TokensCard(props: { tokens: Tokens }) {
  const { tokens } = props;
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewToken | null>(null);
  const create = useAction(async () => {
    setCreated(await tokens.create(name.trim()));
    setName('');
  });
  return (
    <section class="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p class="muted">
        Use the data API from scripts and notebooks. A token works while your plan runs; revoke it when you no
        longer need it.
      </p>
      {created && (
        <CreatedToken
          token={created}
          onDone={() => {
            setCreated(null);
          }}
        />
      )}
      {tokens.loading && !tokens.data && <Loading label="Loading tokens…" />}
      {tokens.error && <Notice tone="error">{tokens.error}</Notice>}
      {tokens.data && tokens.data.length > 0 && (
        <ul class="token-list">
          {tokens.data.map((token) => (
            <TokenRow key={token.id} token={token} onRevoke={tokens.revoke} />
          ))}
        </ul>
      )}
      {tokens.data?.length === 0 && <p class="muted small">No tokens yet.</p>}
      <form
        class="form form-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <Field
          label="New token name"
          name="token-name"
          placeholder="e.g. Jupyter notebook"
          maxLength={100}
          required
          autoComplete="off"
          value={name}
          onInput={(e) => {
            setName(e.currentTarget.value);
          }}
        />
        <button type="submit" class="button button-primary" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {create.error && <Notice tone="error">{create.error}</Notice>}
    </section>
  );
}
