import type { ComponentChildren } from 'preact';

/** The frame of every sign-in, sign-up and reset step: one narrow card, centred. */
export function AuthCard(props: {
  title: string;
  lead?: ComponentChildren;
  children: ComponentChildren;
  footer?: ComponentChildren;
}) {
  return (
    <div class="page auth-page">
      <section class="card auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{props.title}</h1>
        {props.lead && <p class="lead">{props.lead}</p>}
        {props.children}
      </section>
      {props.footer && <p class="auth-footer">{props.footer}</p>}
    </div>
  );
}
