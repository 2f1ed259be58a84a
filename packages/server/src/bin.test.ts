import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FAWKES_VERSION } from './version.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(packageDir, 'bin', 'fawkes.js');
const scratch = mkdtempSync(join(tmpdir(), 'fawkes-bin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the fawkes command (bin/fawkes.js)', () => {
  it('is the package’s bin, committed and executable, so that one `npm install` links it', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ fawkes: './bin/fawkes.js' });
    expect(manifest.files).toContain('bin');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('runs the built CLI', async () => {
    const { stdout } = await run(bin, ['--version']);
    expect(stdout).toContain(FAWKES_VERSION);
  });

  it('says what to do when the CLI is not built yet', async () => {
    mkdirSync(join(scratch, 'bin'));
    copyFileSync(bin, join(scratch, 'bin', 'fawkes.js'));
    const failed = await run(process.execPath, [join(scratch, 'bin', 'fawkes.js'), '--version']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/not built yet.*npm run build/);
  });
});
