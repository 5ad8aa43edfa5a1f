/** The shapes the scenario generator accepts and the ground truth it writes beside the logs. */

export const SCENARIOS = ['web', 'auth', 'mixed'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const WEB_ATTACK_CATEGORIES = [
  'web-dir-bruteforce', 'web-scanner-ua', 'web-sqli', 'web-xss', 'web-path-traversal',
  'web-cmd-injection', 'web-log4shell',
] as const;

export const HOST_ATTACK_CATEGORIES = [
  'ssh-bruteforce', 'ssh-password-spraying', 'ssh-success-after-failures',
  'ssh-invalid-user-enumeration', 'ssh-root-login', 'sudo-failure', 'account-created-privileged',
  'log-tampering', 'cron-persistence', 'reverse-shell',
] as const;

export const ATTACK_CATEGORIES = [...WEB_ATTACK_CATEGORIES, ...HOST_ATTACK_CATEGORIES] as const;

/**
 * `benign-system` is the host's own background (cron, systemd timers, kernel, dhclient): its
 * lines carry no client address, and labelling them admin or bot would mislead a detection test.
 */
export const BENIGN_CATEGORIES = ['benign-browsing', 'benign-bot', 'benign-admin', 'benign-system'] as const;

export type AttackCategory = (typeof ATTACK_CATEGORIES)[number];
export type BenignCategory = (typeof BENIGN_CATEGORIES)[number];
export type Category = AttackCategory | BenignCategory;
export type ActorKind = 'attacker' | 'benign';

/** Log file names, relative to the output folder. */
export const FILES = { access: 'access.log', auth: 'auth.log', syslog: 'syslog' } as const;
export type LogFileName = (typeof FILES)[keyof typeof FILES];

export interface GenerateOptions {
  scenario: ScenarioName;
  /** Total lines over all files of the scenario (exactly this many). */
  lines: number;
  /** 32-bit unsigned integer; the same seed and options give byte-identical files. */
  seed: number;
  outDir: string;
  /** First possible timestamp, ISO 8601. Default 2026-11-20T00:00:00Z. */
  start?: string;
  /** Length of the covered period in days. Default 3. */
  days?: number;
}

export interface GroundTruthActor {
  id: string;
  /** Where the actor connects from; null for the host's own processes. */
  ip: string | null;
  kind: ActorKind;
  category: Category;
  /** Account names the actor uses or creates, when any. */
  users?: string[];
  /** The file holding most of the actor's lines. */
  file: LogFileName;
  /** Lines per file; sums to `lines`. */
  files: Partial<Record<LogFileName, number>>;
  lines: number;
  /** ISO 8601 of the actor's first and last line (second precision, like the logs). */
  first: string;
  last: string;
  /** 1-based line numbers of every line of an attacker, per file. Absent for benign actors. */
  lineNumbers?: Partial<Record<LogFileName, number[]>>;
  userAgent?: string;
  description: string;
}

export interface GroundTruth {
  scenario: ScenarioName;
  seed: number;
  /** Host name in the syslog files. */
  host: string;
  /** Lines per file; each file has exactly this many. */
  lines: Partial<Record<LogFileName, number>>;
  /** The covered period, ISO 8601: every line falls in [start, end). */
  start: string;
  end: string;
  /** Every actor that wrote at least one line; their `files` counts add up to `lines`. */
  actors: GroundTruthActor[];
}
