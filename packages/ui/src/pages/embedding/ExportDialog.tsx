import type { ExportedFile } from '../../api/point-cloud.js';

const SNIPPET = 'activeSession()!.exports.at(-1)';

/** After an export: the file's name, its download link and how to read it in a script. */
export function ExportDialog({ file, onClose }: { file: ExportedFile; onClose: () => void }) {
  return (
    <div role="dialog" aria-label="Exported" className="export-dialog">
      <p>
        Exported {file.row_count.toLocaleString()} rows to{' '}
        <code data-testid="export-file">{file.file_name}</code>
      </p>
      <p>
        <a href={file.url} download>
          Download {file.file_name}.parquet
        </a>
      </p>
      <p>
        In your script: <code>{SNIPPET}</code>{' '}
        <button type="button" onClick={() => void navigator.clipboard?.writeText(SNIPPET)}>
          Copy
        </button>
      </p>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
