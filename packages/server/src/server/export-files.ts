/**
 * The exports folder (`<working dir>/exports`, which `session.exports` reads): names checked so that
 * none leaves it, files written whole (a temporary file linked into place, so a reader never sees
 * half a file and an existing file is never replaced), and the listing newest first.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import pl from 'nodejs-polars';

const EXTENSION = '.parquet';
const MAX_NAME_LENGTH = 200;

export interface ExportedFile {
  /** Without `.parquet`. */
  fileName: string;
  rowCount: number | undefined;
  createdAt: Date;
}

/** A name that would leave the folder or cannot be a file name. */
/** Where an app's exports live: `<working dir>/exports`, written by the routes, read by `session.exports`. */
export const exportsDirectory = (workingDir: string): string => join(workingDir, 'exports');

export class ExportNameError extends Error {}

/** An explicitly named export that already exists (exports are never overwritten). */
export class ExportExistsError extends Error {}

/** The name without `.parquet`; throws ExportNameError for names that are not a plain file name. */
export function exportName(given: string): string {
  const name = given.endsWith(EXTENSION) ? given.slice(0, -EXTENSION.length) : given;
  if (name.length === 0) throw new ExportNameError('file_name must not be empty');
  if (/[/\\\0]/.test(given)) {
    throw new ExportNameError(`file_name ${JSON.stringify(given)} must not contain "/", "\\" or NUL`);
  }
  if (name.startsWith('.')) {
    throw new ExportNameError(
      `file_name ${JSON.stringify(given)} must not start with "." (nor be "." or "..")`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new ExportNameError(`file_name must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`);
  }
  return name;
}

/** Phoenix's default name: the time in UTC as `YYYY-MM-DD_HH-MM-SS`. */
export function defaultExportName(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19).replace('T', '_').replaceAll(':', '-');
}

export class ExportFolder {
  constructor(readonly directory: string) {}

  pathOf(fileName: string): string {
    return join(this.directory, `${fileName}${EXTENSION}`);
  }

  /**
   * Writes the frame as `<name>.parquet`. An explicit name that exists is refused (ExportExistsError);
   * a default name that exists (two exports in one second) gets a suffix: `<name>_2`, `<name>_3`, …
   */
  async write(frame: pl.DataFrame, name: string | undefined): Promise<ExportedFile> {
    await mkdir(this.directory, { recursive: true });
    // Not `.parquet`: the folder's readers never see it.
    const temporary = join(this.directory, `.${randomUUID()}.tmp`);
    frame.writeParquet(temporary);
    try {
      // Later than every export before it, even within one tick of the file system's clock, so
      // that the newest (`session.exports.at(-1)`, the listing's first) is always the last written.
      const time = new Date(Math.max(Date.now(), (await this.newestTime()) + 1));
      await utimes(temporary, time, time);
      const base = name ?? defaultExportName();
      for (let attempt = 1; ; attempt++) {
        const fileName = attempt === 1 ? base : `${base}_${attempt}`;
        try {
          // link() fails when the target exists, where rename() would replace it.
          await link(temporary, this.pathOf(fileName));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          if (name !== undefined) throw new ExportExistsError(`an export named "${name}" already exists`);
          continue;
        }
        const { mtime } = await stat(this.pathOf(fileName));
        return { fileName, rowCount: frame.height, createdAt: mtime };
      }
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }

  /** The latest modification time among the exports, in epoch ms (0 when there are none). */
  async newestTime(): Promise<number> {
    const files = await this.#files();
    return Math.max(0, ...files.map((f) => f.createdAt.getTime()));
  }

  /** The exports, newest first (as Phoenix's dialog lists them). */
  async list(): Promise<ExportedFile[]> {
    const files = (await this.#files()).map((file) => ({
      ...file,
      rowCount: rowCountOf(this.pathOf(file.fileName)),
    }));
    return files.sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.fileName.localeCompare(a.fileName),
    );
  }

  async #files(): Promise<{ fileName: string; createdAt: Date }[]> {
    let names: string[];
    try {
      names = (await readdir(this.directory)).filter((n) => n.endsWith(EXTENSION) && !n.startsWith('.'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return Promise.all(
      names.map(async (name) => ({
        fileName: name.slice(0, -EXTENSION.length),
        createdAt: (await stat(join(this.directory, name))).mtime,
      })),
    );
  }

  /** The file's path, or undefined when there is no such export. */
  async find(fileName: string): Promise<string | undefined> {
    const path = this.pathOf(fileName);
    try {
      return (await stat(path)).isFile() ? path : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

function rowCountOf(path: string): number | undefined {
  try {
    return pl.scanParquet(path).select(pl.len()).collectSync().getColumn('len').get(0) as number;
  } catch {
    return undefined;
  }
}
