import type { Level } from './group.ts';

export function LevelBadge({ level }: { level: Level }) {
  return <span className={`sev sev-${level}`} data-level={level}>{level}</span>;
}
