import type { ImportProgress } from '../ingest/import.ts';

/** A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): { update(p: ImportProgress): void; clear(): void } {
  const tty = stream.isTTY === true;
  let shown = false;
  return {
    update(p) {
      if (!tty) return;
      const width = 24;
      const ratio = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 1;
      const filled = Math.round(ratio * width);
      const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
      const phase = p.phase === 'indexing' ? 'building indexes' : `file ${p.fileIndex + 1}/${p.fileCount}`;
      const eta = p.etaSeconds === null ? '' : ` ETA ${Math.ceil(p.etaSeconds)}s`;
      const text = `[${bar}] ${(ratio * 100).toFixed(0).padStart(3)}% ${mb(p.bytesRead)}/${mb(p.bytesTotal)} ` +
        `${p.lines.toLocaleString('en-US')} lines ${p.linesPerSecond.toLocaleString('en-US')}/s${eta} ${phase}`;
      stream.write(`\r\x1b[K${text.slice(0, (stream.columns || 120) - 1)}`);
      shown = true;
    },
    clear() {
      if (tty && shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
