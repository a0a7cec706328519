import type { KeyboardEvent, ReactNode } from 'react';

/**
 * A table row that puts its money path on the canvas: click it, or focus it and press
 * Enter or Space; the arrow keys move between rows, so the table works without a mouse.
 */
export function PathRow({ id, active, label, onShow, children }: { id: string; active: boolean; label: string; onShow: (() => void) | null; children: ReactNode }) {
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>): void => {
    if ((event.key === 'Enter' || event.key === ' ') && onShow !== null) {
      event.preventDefault();
      onShow();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const rows = [...(event.currentTarget.closest('table')?.querySelectorAll<HTMLTableRowElement>('tr.path-row') ?? [])];
    const next = rows[rows.indexOf(event.currentTarget) + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next !== undefined) {
      event.preventDefault();
      next.focus();
    }
  };
  return (
    <tr
      className={`path-row${active ? ' active' : ''}${onShow === null ? ' no-path' : ''}`}
      data-row-id={id}
      tabIndex={0}
      aria-selected={active}
      aria-label={onShow === null ? `${label} (no path to show)` : `${label}: show its path on the canvas`}
      onClick={onShow ?? undefined}
      onKeyDown={onKeyDown}
    >
      {children}
    </tr>
  );
}
