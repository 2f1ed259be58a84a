import { type PointerEvent, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { CloudScene } from './cloud-scene.js';
import { nearestPoint, pointsInPolygon } from './geometry.js';
import type { PointCloudProps } from './types.js';

/** A press that moves less than this (CSS px) is a click, not a drag. */
const CLICK_SLOP = 4;

interface Hover {
  index: number;
  x: number;
  y: number;
}

/**
 * The WebGL point cloud (three.js): 3-D orbit or 2-D pan and zoom in 'move' mode, a free-hand lasso
 * in 'lasso' mode, a click picks the nearest point, the hovered point's tooltip, retrieval lines.
 */
export function PointCloud(props: PointCloudProps) {
  const { positions, colors, ids, dimensions, pointSize, mode, selected, links, tooltip, ref } = props;
  const root = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const [scene, setScene] = useState<CloudScene | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [lasso, setLasso] = useState<number[] | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const press = useRef<{ x: number; y: number; lasso: number[] | null } | null>(null);
  const hoverAt = useRef<{ x: number; y: number } | null>(null);
  const hoverFrame = useRef(0);

  useEffect(() => {
    const container = root.current!;
    // A canvas of its own per mount: a disposed renderer leaves its canvas's context lost.
    const canvas = document.createElement('canvas');
    canvas.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;display:block';
    container.prepend(canvas);
    let created: CloudScene;
    try {
      created = new CloudScene(canvas, () => latest.current.onFrame?.());
    } catch (error) {
      canvas.remove();
      setFailure(`WebGL is not available: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const observer = new ResizeObserver(([entry]) => {
      if (entry) created.resize(entry.contentRect.width, entry.contentRect.height);
    });
    observer.observe(container);
    setScene(created);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(hoverFrame.current);
      hoverFrame.current = 0;
      created.dispose();
      canvas.remove();
      setScene(null);
    };
  }, []);

  useEffect(() => scene?.setDimensions(dimensions), [scene, dimensions]);
  useEffect(() => scene?.setPoints(positions, colors), [scene, positions, colors]);
  useEffect(() => scene?.setLinks(links ?? []), [scene, links]);
  useEffect(() => scene?.setSelection(selected), [scene, selected]);
  useEffect(() => scene?.setPointSize(pointSize), [scene, pointSize]);
  useEffect(() => scene?.setControlsEnabled(mode === 'move'), [scene, mode]);

  useImperativeHandle(
    ref,
    () => ({
      screenPosition(index) {
        const screen = scene?.screenPositions();
        const x = screen?.[2 * index];
        const y = screen?.[2 * index + 1];
        return x === undefined || y === undefined || Number.isNaN(x) ? null : { x, y };
      },
      rendererName: () => scene?.rendererName() ?? '',
    }),
    [scene],
  );

  const pickRadius = Math.max(6, pointSize);
  const local = (event: PointerEvent) => {
    const rect = root.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const pickAt = (x: number, y: number) =>
    scene ? nearestPoint(scene.screenPositions(), x, y, pickRadius) : -1;

  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0 || !scene) return;
    const at = local(event);
    setHover(null);
    if (mode === 'lasso') {
      root.current!.setPointerCapture(event.pointerId);
      press.current = { ...at, lasso: [at.x, at.y] };
      setLasso([at.x, at.y]);
    } else {
      press.current = { ...at, lasso: null };
    }
  };

  const onPointerMove = (event: PointerEvent) => {
    const at = local(event);
    const drawing = press.current?.lasso;
    if (drawing) {
      drawing.push(at.x, at.y);
      setLasso([...drawing]);
      return;
    }
    if (event.buttons !== 0 || !scene || !latest.current.tooltip) return;
    // One pick per animation frame, at the latest pointer position.
    hoverAt.current = at;
    if (hoverFrame.current) return;
    hoverFrame.current = requestAnimationFrame(() => {
      hoverFrame.current = 0;
      const position = hoverAt.current;
      if (!position) return;
      const index = pickAt(position.x, position.y);
      setHover(index < 0 ? null : { index, ...position });
    });
  };

  const onPointerUp = (event: PointerEvent) => {
    const started = press.current;
    press.current = null;
    if (!started || !scene) return;
    const at = local(event);
    const isClick = Math.hypot(at.x - started.x, at.y - started.y) < CLICK_SLOP;
    if (started.lasso) {
      setLasso(null);
      if (root.current!.hasPointerCapture(event.pointerId))
        root.current!.releasePointerCapture(event.pointerId);
      if (!isClick || started.lasso.length > 6) {
        started.lasso.push(at.x, at.y);
        latest.current.onSelect(pointsInPolygon(scene.screenPositions(), started.lasso));
        return;
      }
    } else if (!isClick) {
      return;
    }
    const index = pickAt(at.x, at.y);
    latest.current.onSelect(index < 0 ? [] : [index]);
  };

  const onPointerLeave = () => {
    hoverAt.current = null;
    setHover(null);
  };

  return (
    <div
      ref={root}
      data-testid="point-cloud"
      data-points={ids.length}
      data-mode={mode}
      className="point-cloud"
      style={{
        position: 'relative',
        width: '100%',
        height: '100%',
        minHeight: 240,
        overflow: 'hidden',
        cursor: mode === 'lasso' ? 'crosshair' : 'grab',
        touchAction: 'none',
      }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        press.current = null;
        setLasso(null);
      }}
      onPointerLeave={onPointerLeave}
    >
      {failure && (
        <div role="alert" className="state-error" style={{ padding: 16 }}>
          {failure}
        </div>
      )}
      {lasso && (
        <svg
          data-testid="point-cloud-lasso"
          style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }}
          aria-hidden="true"
        >
          <polygon
            points={lasso.join(' ')}
            fill="var(--accent-soft)"
            fillOpacity={0.35}
            stroke="var(--accent)"
            strokeWidth={1.5}
            strokeDasharray="4 3"
          />
        </svg>
      )}
      {hover && tooltip && (
        <div
          data-testid="point-cloud-tooltip"
          role="tooltip"
          style={{
            position: 'absolute',
            left: hover.x + 12,
            top: hover.y + 12,
            maxWidth: 320,
            padding: '6px 8px',
            background: 'var(--surface)',
            color: 'var(--text)',
            border: '1px solid var(--border)',
            borderRadius: 6,
            boxShadow: 'var(--shadow)',
            fontSize: 12,
            pointerEvents: 'none',
            zIndex: 1,
          }}
        >
          {tooltip(hover.index)}
        </div>
      )}
    </div>
  );
}
