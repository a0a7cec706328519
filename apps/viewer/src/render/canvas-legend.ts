/** The legend and caption drawn into PNG exports, matching the on-screen legend. */
import { CATEGORIES, CATEGORY_LABELS } from '../graph/node-category.js';
import { CATEGORY_COLOURS, NODE_OUTLINE, PATH_COLOUR } from './graph-style.js';

export function drawLegendAndCaption(ctx: CanvasRenderingContext2D, height: number, dpr: number, caption: readonly string[]): void {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = '#333333';
  caption.forEach((line, i) => ctx.fillText(line, 12, 18 + i * 15));

  const rows = CATEGORIES.length + 3;
  const top = height - 16 - rows * 17;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
  ctx.strokeStyle = '#999999';
  ctx.lineWidth = 1;
  ctx.fillRect(6, top - 14, 270, rows * 17 + 10);
  ctx.strokeRect(6, top - 14, 270, rows * 17 + 10);
  CATEGORIES.forEach((category, i) => {
    const y = top + i * 17;
    ctx.fillStyle = CATEGORY_COLOURS[category];
    ctx.strokeStyle = NODE_OUTLINE;
    ctx.beginPath();
    ctx.arc(18, y - 4, 5.5, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = '#1a1a1a';
    ctx.fillText(CATEGORY_LABELS[category], 30, y);
  });
  const base = top + CATEGORIES.length * 17;
  ctx.fillText('○ address  □ transaction  ⬡ entity', 12, base);
  ctx.fillText('Arrows: direction of payment; width: value', 12, base + 17);
  ctx.strokeStyle = PATH_COLOUR;
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(12, base + 30);
  ctx.lineTo(26, base + 30);
  ctx.stroke();
  ctx.fillText('highlighted path', 30, base + 34);
}
