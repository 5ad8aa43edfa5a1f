import { splitControls } from '../format.ts';

/** Text from a log, rendered as React text only, with control characters made visible. */
export function LogText({ text }: { text: string }) {
  return (
    <>
      {splitControls(text).map((part, i) =>
        part.kind === 'control'
          ? <span key={i} className="control" title="control character">{part.text}</span>
          : part.text,
      )}
    </>
  );
}
