import type { Level } from './group.ts';

export function LevelBadge({ level }: { level: Level }) {
  return <span className={`level level-${level}`} data-level={level}>{level}</span>;
}
