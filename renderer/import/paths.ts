/** Splits pasted text into paths: one a line, surrounding quotes (as file managers copy them) removed. */
export function parsePastedPaths(text: string): string[] {
  return text.split(/\r?\n/)
    .map((line) => line.trim().replace(/^(['"])(.*)\1$/, '$2').trim())
    .filter((line) => line !== '');
}
