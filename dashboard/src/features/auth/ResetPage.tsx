import { useLocation } from '../../app/router';
import { useTitle } from '../../app/useTitle';
import { ResetConfirmForm } from './ResetConfirmForm';
import { ResetRequestForm } from './ResetRequestForm';

/** `/reset` asks for the link; the link itself, `/reset?token=…`, asks for the new password. */
export function ResetPage() {
  useTitle('Reset your password');
  const token = useLocation().query.get('token');
  return token ? <ResetConfirmForm token={token} /> : <ResetRequestForm />;
}
