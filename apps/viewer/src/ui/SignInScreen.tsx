import { useState, type FormEvent } from 'react';
import { tokenFromPasted } from '../auth/token-session.js';
import { useViewerStore } from '../state/viewer-store.js';

/** Shown without a token: explains where one comes from and takes a pasted login URL or token. */
export function SignInScreen({ onToken }: { onToken: (token: string) => void }) {
  const phase = useViewerStore((s) => s.phase);
  const error = useViewerStore((s) => s.signInError);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const token = tokenFromPasted(text);
    if (token === null) {
      setProblem('That is neither a login URL with #token=… nor a token. Copy the whole "Sign in:" line that chaintrail serve printed.');
      return;
    }
    setProblem(null);
    onToken(token);
  };
  return (
    <main className="sign-in">
      <h1>chaintrail</h1>
      <p className="lead">Follow the money: who paid the site, and through which exchange.</p>
      {phase === 'signing-in' ? (
        <p role="status">Signing in…</p>
      ) : (
        <form onSubmit={submit} aria-describedby="sign-in-help">
          <label htmlFor="token">Login URL or token</label>
          <input id="token" type="password" autoComplete="off" value={text} onChange={(e) => setText(e.target.value)} placeholder="http://127.0.0.1:8321/#token=ct_…" />
          <button type="submit">Sign in</button>
          <p id="sign-in-help" className="hint">
            Start the server with <code>chaintrail serve --case NAME</code> and open the login URL it prints, or paste it here. Colleagues need a token of their own:{' '}
            <code>chaintrail token create --role viewer</code>.
          </p>
          {(problem ?? error) !== null && (
            <p className="error" role="alert">
              {problem ?? error}
            </p>
          )}
        </form>
      )}
    </main>
  );
}
