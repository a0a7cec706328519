import { useEffect, useState } from 'react';
import { loadToken, tokenFromFragment } from '../auth/token-session.js';
import { signIn } from '../state/session-actions.js';
import type { ViewerContext } from '../state/viewer-context.js';
import { useViewerStore } from '../state/viewer-store.js';
import { SignInScreen } from './SignInScreen.js';
import { Workspace } from './Workspace.js';

export function App() {
  const phase = useViewerStore((s) => s.phase);
  const [ctx, setCtx] = useState<ViewerContext | null>(null);

  const start = (token: string): void => {
    void signIn(useViewerStore, token, sessionStorage).then(setCtx);
  };

  useEffect(() => {
    const fromUrl = tokenFromFragment(window.location.hash);
    if (fromUrl !== null) {
      // Out of the address bar at once: it would land in history, bookmarks and screenshots.
      history.replaceState(null, '', window.location.pathname + window.location.search);
      start(fromUrl);
      return;
    }
    const stored = loadToken(sessionStorage);
    if (stored !== null) start(stored);
  }, []);

  if (phase !== 'ready' || ctx === null) return <SignInScreen onToken={start} />;
  return <Workspace ctx={ctx} />;
}
