import { useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PointCloud } from '../../components/point-cloud/PointCloud.js';
import type { PointCloudHandle } from '../../components/point-cloud/types.js';
import { syntheticClusters } from './synthetic-clusters.js';

/** What the benchmark and the browser test read from the page (window.__pointCloud). */
export interface PointCloudProbe {
  frames: number;
  /** performance.now() at each drawn frame while `recording`. */
  frameTimes: number[];
  recording: boolean;
  selection: number[] | null;
  cluster: Int32Array;
  handle: PointCloudHandle | null;
  /** Set to ask for the next frame's count of drawn pixels (in `drawnPixels`). */
  readback: boolean;
  drawnPixels: number | null;
}

declare global {
  interface Window {
    __pointCloud?: PointCloudProbe;
  }
}

/** Pixels with any colour on the cloud's canvas, read right after a frame was drawn (before it is composited). */
function countDrawnPixels(): number {
  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=point-cloud] canvas');
  const gl = canvas?.getContext('webgl2');
  if (!canvas || !gl) return 0;
  const pixels = new Uint8Array(gl.drawingBufferWidth * gl.drawingBufferHeight * 4);
  gl.readPixels(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  let drawn = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) drawn++;
  return drawn;
}

/**
 * Not part of the product (no link leads here): /__bench/point-cloud?n=20000&dims=3&links=0 draws
 * synthetic clusters with the real point cloud, for bench/ui/point-cloud.ts and its browser test.
 */
export function PointCloudBenchPage() {
  const [params] = useSearchParams();
  const count = Number(params.get('n') ?? 20_000);
  const [dimensions, setDimensions] = useState<2 | 3>(params.get('dims') === '2' ? 2 : 3);
  const [mode, setMode] = useState<'move' | 'lasso'>('move');
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const linkCount = Number(params.get('links') ?? 0);
  const cloud = useMemo(() => syntheticClusters({ count, dimensions }), [count, dimensions]);
  const links = useMemo(
    () =>
      Array.from({ length: Math.min(linkCount, count - 1) }, (_, i) => {
        const from = Math.floor((i * count) / Math.max(1, linkCount));
        return [from, (from + 1) % count] as const;
      }),
    [linkCount, count],
  );
  const probe = useRef<PointCloudProbe>({
    frames: 0,
    frameTimes: [],
    recording: false,
    selection: null,
    cluster: cloud.cluster,
    handle: null,
    readback: false,
    drawnPixels: null,
  });
  probe.current.cluster = cloud.cluster;
  window.__pointCloud = probe.current;

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100vh' }}>
      <div style={{ display: 'flex', gap: 8, padding: 8, alignItems: 'center' }}>
        <button type="button" onClick={() => setMode(mode === 'move' ? 'lasso' : 'move')}>
          {mode === 'move' ? 'Lasso' : 'Move'}
        </button>
        <button type="button" onClick={() => setDimensions(dimensions === 3 ? 2 : 3)}>
          {dimensions === 3 ? '2-D' : '3-D'}
        </button>
        <span data-testid="selected-count">{selected.size} selected</span>
      </div>
      <div style={{ flex: 1, minHeight: 0 }}>
        <PointCloud
          ref={(handle) => {
            probe.current.handle = handle;
          }}
          positions={cloud.positions}
          colors={cloud.colors}
          ids={cloud.ids}
          dimensions={dimensions}
          pointSize={4}
          mode={mode}
          selected={selected}
          onSelect={(indices) => {
            probe.current.selection = indices;
            setSelected(new Set(indices));
          }}
          links={links}
          tooltip={(index) => `${cloud.ids[index]} (cluster ${cloud.cluster[index]})`}
          onFrame={() => {
            probe.current.frames++;
            if (probe.current.recording) probe.current.frameTimes.push(performance.now());
            if (probe.current.readback) {
              probe.current.readback = false;
              probe.current.drawnPixels = countDrawnPixels();
            }
          }}
        />
      </div>
    </div>
  );
}
