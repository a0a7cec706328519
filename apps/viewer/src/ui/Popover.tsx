import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/** A button that opens a panel; Escape or a click outside closes it. */
export function Popover({ label, title, children }: { label: string; title?: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent): void => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !ref.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="popover" ref={ref}>
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} title={title}>
        {label} ▾
      </button>
      {open && (
        <div className="popover-panel" id={id}>
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
