/**
 * What the grid's intel columns show of each address of the loaded rows: country, network and
 * lists, fetched from the engine only while such a column is shown (so the plain grid pays
 * nothing), a batch per new page of rows. Classes need no fetch: they are worked out here.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { StoredEventDto } from '../../shared/ipc/contract.ts';
import type { IpSummary } from '../../shared/intel/model.ts';
import { getIpSummaries } from '../api.ts';

const Summaries = createContext<ReadonlyMap<string, IpSummary>>(new Map());

export function IpSummariesProvider({ rows, wanted, dataVersion, children }: {
  rows: readonly StoredEventDto[]; wanted: boolean; dataVersion: number; children: ReactNode;
}) {
  const [known, setKnown] = useState<{ version: number; map: ReadonlyMap<string, IpSummary> }>({ version: dataVersion, map: new Map() });
  const asked = useRef<{ version: number; ips: Set<string> }>({ version: dataVersion, ips: new Set() });
  if (asked.current.version !== dataVersion) asked.current = { version: dataVersion, ips: new Set() };

  useEffect(() => {
    if (!wanted) return;
    const fresh: string[] = [];
    for (const r of rows) {
      for (const ip of [r.srcIp, r.dstIp]) {
        if (ip && !asked.current.ips.has(ip)) {
          asked.current.ips.add(ip);
          fresh.push(ip);
        }
      }
    }
    if (fresh.length === 0) return;
    const version = dataVersion;
    for (let i = 0; i < fresh.length; i += 2000) {
      const chunk = fresh.slice(i, i + 2000);
      getIpSummaries(chunk).then((found) => setKnown((k) => {
        const map = new Map(k.version === version ? k.map : []);
        for (const s of found) map.set(s.ip, s);
        return { version, map };
      }), () => {
        // Asked again with the next page of rows.
        for (const ip of chunk) asked.current.ips.delete(ip);
      });
    }
  }, [rows, wanted, dataVersion]);

  return <Summaries.Provider value={known.version === dataVersion ? known.map : new Map()}>{children}</Summaries.Provider>;
}

export function useIpSummary(ip: string | null | undefined): IpSummary | undefined {
  const map = useContext(Summaries);
  return ip ? map.get(ip) : undefined;
}
