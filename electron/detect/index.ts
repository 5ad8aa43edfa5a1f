/** Detections: rules in, alerts out. The pure matcher lives in shared/sigma; this is its Node side. */
export { BUILTIN_RULES_DIR, loadRules, RuleLoadError, type LoadedRules, type LoadRulesOptions } from './load-rules.ts';
export { runDetections, type Alert, type DetectedAlert, type DetectionProgress, type RunOptions, type RunResult } from './run.ts';
export { detectAfterImport } from './after-import.ts';
export { DetectionCancelled } from './scan.ts';
export { matchLines, type LinesResult } from '../../shared/sigma/match-lines.ts';
export type { CorrelationWhy, DetectionWhy } from './alert-build.ts';
