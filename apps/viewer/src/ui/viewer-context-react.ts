/** The signed-in ViewerContext, for components. */
import { createContext, useContext } from 'react';
import type { ViewerContext } from '../state/viewer-context.js';

export const ViewerContextReact = createContext<ViewerContext | null>(null);

export function useViewer(): ViewerContext {
  const context = useContext(ViewerContextReact);
  if (context === null) throw new Error('useViewer outside a signed-in viewer');
  return context;
}
