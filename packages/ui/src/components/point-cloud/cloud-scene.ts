import {
  BufferAttribute,
  BufferGeometry,
  LineBasicMaterial,
  LineSegments,
  Matrix4,
  MOUSE,
  OrthographicCamera,
  PerspectiveCamera,
  Points,
  Scene,
  ShaderMaterial,
  TOUCH,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { boundingSphere, fittingDistance, projectToScreen, type Sphere, spheresDiffer } from './geometry.js';

const FOV = 45;

// Points in pixels (no attenuation), round, the unselected dimmed while a selection exists.
const VERTEX_SHADER = `
attribute vec3 pointColor;
attribute float selection;
uniform float size;
uniform float hasSelection;
varying vec3 vColor;
varying float vAlpha;
void main() {
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  bool chosen = selection > 0.5;
  gl_PointSize = chosen && hasSelection > 0.5 ? size * 1.5 : size;
  vAlpha = hasSelection > 0.5 && !chosen ? 0.15 : 1.0;
  vColor = pointColor;
}`;

// No discard: a fragment shader that may discard costs SwiftShader (and tiled GPUs) their early
// depth and coverage shortcuts, so points are squares; alpha only matters while a selection dims the rest.
const FRAGMENT_SHADER = `
varying vec3 vColor;
varying float vAlpha;
void main() {
  gl_FragColor = vec4(vColor, vAlpha);
}`;

/**
 * The three.js side of the point cloud: renderer, camera and controls, the points and the retrieval
 * lines. Draws on demand (a prop or the camera changed), one frame per animation frame at most.
 */
export class CloudScene {
  readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private camera: PerspectiveCamera | OrthographicCamera;
  private controls: OrbitControls;
  private readonly geometry = new BufferGeometry();
  private readonly material: ShaderMaterial;
  private readonly points: Points;
  private readonly linesGeometry = new BufferGeometry();
  private readonly lines: LineSegments;
  private positions: Float32Array = new Float32Array();
  private selection = new Float32Array();
  private selected: ReadonlySet<number> = new Set();
  private links: readonly (readonly [number, number])[] = [];
  private sphere: Sphere | null = null;
  private dimensions: 2 | 3 = 3;
  private width = 1;
  private height = 1;
  private frameRequest = 0;
  private frameCallbacks: (() => void)[] = [];
  private readonly viewProjection = new Matrix4();
  private screen = new Float32Array();
  private screenVersion = -1;
  private cameraVersion = 0;
  /** Until the user moves the camera, a resize fits it to the points again. */
  private userMoved = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onFrame: () => void,
  ) {
    this.renderer = new WebGLRenderer({
      canvas,
      antialias: false,
      alpha: true,
      powerPreference: 'high-performance',
    });
    // Pixel ratio 1: on a high-density screen the cloud costs 4 × the fragments for little gain.
    this.renderer.setPixelRatio(1);
    // Blending only while a selection dims the other points (setSelection); no depth test, since
    // the points are flat squares of one size drawn in one call: nothing to sort or hide.
    this.material = new ShaderMaterial({
      vertexShader: VERTEX_SHADER,
      fragmentShader: FRAGMENT_SHADER,
      uniforms: { size: { value: 4 }, hasSelection: { value: 0 } },
      transparent: false,
      depthTest: false,
      depthWrite: false,
    });
    this.points = new Points(this.geometry, this.material);
    this.points.frustumCulled = false;
    this.lines = new LineSegments(
      this.linesGeometry,
      new LineBasicMaterial({ color: 0x888888, transparent: true, opacity: 0.6, depthWrite: false }),
    );
    this.lines.frustumCulled = false;
    this.lines.visible = false;
    this.scene.add(this.lines, this.points);
    this.camera = new PerspectiveCamera(FOV, 1, 0.01, 1000);
    this.controls = this.makeControls();
  }

  /** The GPU's name as WebGL reports it (WEBGL_debug_renderer_info), for the benchmark. */
  rendererName(): string {
    const gl = this.renderer.getContext();
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  }

  /** New coordinates and colours: the arrays are used as they are (not copied) until the next call. */
  setPoints(positions: Float32Array, colors: Float32Array): void {
    const count = Math.floor(positions.length / 3);
    const current = this.geometry.getAttribute('position') as BufferAttribute | undefined;
    if (current && current.count === count) {
      // Same size: the GPU buffers are refilled in place, each only when its array is a new one.
      const color = this.geometry.getAttribute('pointColor') as BufferAttribute;
      if (color.array !== colors) {
        color.array = colors as Float32Array<ArrayBuffer>;
        color.needsUpdate = true;
      }
      if (current.array === positions) {
        // New colours only: the selection, the lines and the camera stay as they are.
        this.requestFrame();
        return;
      }
      current.array = positions as Float32Array<ArrayBuffer>;
      current.needsUpdate = true;
    } else {
      // A different count needs buffers of another size: the old ones are freed first.
      this.geometry.dispose();
      this.geometry.setAttribute('position', new BufferAttribute(positions, 3));
      this.geometry.setAttribute('pointColor', new BufferAttribute(colors, 3));
      this.selection = new Float32Array(count);
      this.geometry.setAttribute('selection', new BufferAttribute(this.selection, 1));
    }
    this.positions = positions;
    this.screenVersion = -1;
    // Both are by index into the points: redrawn from the new ones.
    this.setSelection(this.selected);
    this.setLinks(this.links);
    const sphere = boundingSphere(positions);
    if (!this.sphere || spheresDiffer(this.sphere, sphere)) {
      this.sphere = sphere;
      this.fitCamera();
    }
    this.requestFrame();
  }

  setSelection(selected: ReadonlySet<number>): void {
    this.selected = selected;
    this.selection.fill(0);
    for (const index of selected) if (index >= 0 && index < this.selection.length) this.selection[index] = 1;
    const attribute = this.geometry.getAttribute('selection') as BufferAttribute | undefined;
    if (attribute) attribute.needsUpdate = true;
    const dimming = selected.size > 0;
    this.material.uniforms['hasSelection']!.value = dimming ? 1 : 0;
    if (this.material.transparent !== dimming) {
      this.material.transparent = dimming;
      this.material.needsUpdate = true;
    }
    this.requestFrame();
  }

  setPointSize(cssPixels: number): void {
    this.material.uniforms['size']!.value = cssPixels * this.renderer.getPixelRatio();
    this.requestFrame();
  }

  setLinks(links: readonly (readonly [number, number])[]): void {
    this.links = links;
    const segments = new Float32Array(links.length * 6);
    let written = 0;
    const count = this.positions.length / 3;
    for (const [from, to] of links) {
      if (from < 0 || to < 0 || from >= count || to >= count) continue;
      segments.set(this.positions.subarray(3 * from, 3 * from + 3), written);
      segments.set(this.positions.subarray(3 * to, 3 * to + 3), written + 3);
      written += 6;
    }
    this.linesGeometry.dispose();
    this.linesGeometry.setAttribute('position', new BufferAttribute(segments.subarray(0, written), 3));
    // No links: no second draw call.
    this.lines.visible = written > 0;
    this.requestFrame();
  }

  setDimensions(dimensions: 2 | 3): void {
    if (dimensions === this.dimensions) return;
    this.dimensions = dimensions;
    this.controls.dispose();
    this.camera =
      dimensions === 3
        ? new PerspectiveCamera(FOV, 1, 0.01, 1000)
        : new OrthographicCamera(-1, 1, 1, -1, -1, 1);
    this.controls = this.makeControls();
    this.fitCamera();
    this.requestFrame();
  }

  /** 'move' hands the mouse to the camera controls; 'lasso' keeps the camera still. */
  setControlsEnabled(enabled: boolean): void {
    this.controls.enabled = enabled;
  }

  resize(width: number, height: number): void {
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
    this.renderer.setSize(this.width, this.height, false);
    if (this.userMoved) this.updateProjection();
    else this.fitCamera();
    this.requestFrame();
  }

  /** Every point's screen position (CSS px, NaN when unseen) for the camera as it is now. */
  screenPositions(): Float32Array {
    if (this.screenVersion !== this.cameraVersion) {
      this.camera.updateMatrixWorld();
      this.viewProjection.multiplyMatrices(this.camera.projectionMatrix, this.camera.matrixWorldInverse);
      if (this.screen.length !== (this.positions.length / 3) * 2) {
        this.screen = new Float32Array((this.positions.length / 3) * 2);
      }
      projectToScreen(this.positions, this.viewProjection.elements, this.width, this.height, this.screen);
      this.screenVersion = this.cameraVersion;
    }
    return this.screen;
  }

  /** Runs `callback` after the next drawn frame (or at the next animation frame when nothing changed). */
  afterFrame(callback: () => void): void {
    this.frameCallbacks.push(callback);
    this.requestFrame();
  }

  requestFrame(): void {
    if (this.frameRequest) return;
    this.frameRequest = requestAnimationFrame(() => this.draw());
  }

  dispose(): void {
    cancelAnimationFrame(this.frameRequest);
    this.frameRequest = 0;
    this.frameCallbacks = [];
    this.controls.dispose();
    this.geometry.dispose();
    this.linesGeometry.dispose();
    this.material.dispose();
    (this.lines.material as LineBasicMaterial).dispose();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
  }

  private draw(): void {
    this.frameRequest = 0;
    // Damping eases the camera on after a drag: each update that still moves it asks for another frame.
    this.controls.update();
    this.renderer.render(this.scene, this.camera);
    this.onFrame();
    const callbacks = this.frameCallbacks;
    this.frameCallbacks = [];
    for (const callback of callbacks) callback();
  }

  private makeControls(): OrbitControls {
    const controls = new OrbitControls(this.camera, this.canvas);
    controls.screenSpacePanning = true;
    controls.zoomToCursor = true;
    controls.enableDamping = true;
    controls.dampingFactor = 0.2;
    if (this.dimensions === 2) {
      controls.enableRotate = false;
      controls.mouseButtons = { LEFT: MOUSE.PAN, MIDDLE: MOUSE.DOLLY, RIGHT: MOUSE.PAN };
      controls.touches = { ONE: TOUCH.PAN, TWO: TOUCH.DOLLY_PAN };
    }
    controls.addEventListener('start', () => {
      this.userMoved = true;
    });
    controls.addEventListener('change', () => {
      this.cameraVersion++;
      this.requestFrame();
    });
    return controls;
  }

  private fitCamera(): void {
    this.userMoved = false;
    const sphere = this.sphere ?? { center: [0, 0, 0], radius: 1 };
    const [cx, cy, cz] = sphere.center;
    const camera = this.camera;
    if (camera instanceof PerspectiveCamera) {
      const distance = fittingDistance(sphere.radius, FOV, this.width / this.height) * 1.05;
      camera.position.set(cx, cy, cz + distance);
      camera.near = distance / 100;
      camera.far = distance + sphere.radius * 50;
    } else {
      camera.position.set(cx, cy, cz + sphere.radius * 2);
      camera.near = 0;
      camera.far = sphere.radius * 4;
      camera.zoom = 1;
    }
    this.controls.target.set(cx, cy, cz);
    this.controls.maxDistance = sphere.radius * 20;
    this.updateProjection();
    this.controls.update();
  }

  private updateProjection(): void {
    const camera = this.camera;
    const aspect = this.width / this.height;
    if (camera instanceof PerspectiveCamera) {
      camera.aspect = aspect;
    } else {
      const radius = (this.sphere?.radius ?? 1) * 1.05;
      const halfHeight = aspect >= 1 ? radius : radius / aspect;
      camera.left = -halfHeight * aspect;
      camera.right = halfHeight * aspect;
      camera.top = halfHeight;
      camera.bottom = -halfHeight;
    }
    camera.updateProjectionMatrix();
    this.cameraVersion++;
  }
}
