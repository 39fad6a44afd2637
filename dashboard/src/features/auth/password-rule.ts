/** The accounts service's rule, checked here first so the form can say what to fix before sending. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const PASSWORD_RULE = `${PASSWORD_MIN} to ${PASSWORD_MAX} characters, not one of the most common passwords.`;

/** Characters as people count them (code points), the way the server counts. */
export function passwordLength(password: string): number {
  return Array.from(password).length;
}

/** Why a password cannot be sent, or null; the server still refuses the most common ones. */
export function passwordProblem(password: string): string | null {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return null;
}
