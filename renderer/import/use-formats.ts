import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../shared/ipc/contract.ts';
import { listFormats } from '../api.ts';

export type FormatInfo = ResponseOf<'formats:list'>[number];

let cached: Promise<FormatInfo[]> | null = null;

/** The formats Loupe can parse; they do not change while the app runs, so they are asked for once. */
export function useFormats(): FormatInfo[] {
  const [formats, setFormats] = useState<FormatInfo[]>([]);
  useEffect(() => {
    let current = true;
    cached ??= listFormats();
    cached.then((list) => current && setFormats(list), () => {
      cached = null;
    });
    return () => {
      current = false;
    };
  }, []);
  return formats;
}
