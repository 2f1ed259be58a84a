/**
 * What `session.view()` returns: an inline frame on the app, as IPython's `IFrame` is in Phoenix.
 * Notebook kernels that follow Deno's Jupyter display protocol (an object with a
 * `Symbol.for('Jupyter.display')` method returning a MIME bundle) render it inline; elsewhere `html`
 * (or `String(frame)`) gives the markup.
 */
const JUPYTER_DISPLAY = Symbol.for('Jupyter.display');

const escapeAttribute = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class InlineFrame {
  constructor(
    readonly src: string,
    readonly height: number | string,
    readonly width: number | string = '100%',
  ) {}

  /** `<iframe …>` markup, as IPython's IFrame renders it. */
  get html(): string {
    const attr = (v: number | string) => escapeAttribute(String(v));
    return (
      `<iframe width="${attr(this.width)}" height="${attr(this.height)}" src="${attr(this.src)}" ` +
      'frameborder="0" allowfullscreen></iframe>'
    );
  }

  /** The MIME bundle a Jupyter kernel displays. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return { 'text/html': this.html, 'text/plain': this.src };
  }

  toString(): string {
    return this.html;
  }
}
