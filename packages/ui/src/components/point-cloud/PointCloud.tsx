import { useEffect, useRef } from 'react';
import type { PointCloudProps } from './types.js';

/**
 * STAND-IN until the WebGL cloud lands: draws x, y on a 2-D canvas and selects by click.
 * Same props and test ids as the real component.
 */
export function PointCloud(props: PointCloudProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { positions, colors, ids, selected, pointSize, onSelect } = props;
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context || !canvas.current) return;
    const { width, height } = canvas.current;
    context.clearRect(0, 0, width, height);
    for (let i = 0; i < ids.length; i++) {
      const [x, y] = [positions[3 * i] ?? 0, positions[3 * i + 1] ?? 0];
      const [r, g, b] = [colors[3 * i] ?? 0, colors[3 * i + 1] ?? 0, colors[3 * i + 2] ?? 0];
      context.fillStyle = `rgb(${r * 255} ${g * 255} ${b * 255} / ${selected.size === 0 || selected.has(i) ? 1 : 0.2})`;
      context.fillRect(width / 2 + x * 20, height / 2 - y * 20, pointSize, pointSize);
    }
  }, [positions, colors, ids, selected, pointSize]);
  return (
    <canvas
      ref={canvas}
      data-testid="point-cloud"
      data-points={ids.length}
      width={800}
      height={600}
      onClick={() => onSelect([])}
    />
  );
}
