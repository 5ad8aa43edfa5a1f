import { UsageError } from './args.ts';

type Command = (args: string[], io: Io) => number | Promise<number>;

/**
 * Each command's module is loaded when it runs: `loupe listen` keeps its main thread's heap
 * without the detection and intel commands (13 MB of resident memory less, towards the
 * listener's 300 MB budget).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  import: async () => (await import('./commands.ts')).importCommand,
  info: async () => (await import('./commands.ts')).infoCommand,
  events: async () => (await import('./commands.ts')).eventsCommand,
  formats: async () => (await import('./commands.ts')).formatsCommand,
  detect: async () => (await import('./detect-commands.ts')).detectCommand,
  alerts: async () => (await import('./detect-commands.ts')).alertsCommand,
  triage: async () => (await import('./detect-commands.ts')).triageCommand,
  listen: async () => (await import('./listen-command.ts')).listenCommand,
  ip: async () => (await import('./intel-commands.ts')).ipCommand,
  lists: async () => (await import('./intel-commands.ts')).listsCommand,
};

/** Errors that are the user's to fix: their message is the whole story, with no stack. */
async function isExplained(err: unknown): Promise<boolean> {
  const [caseDb, migrations, paths, alerts, rules, lists, geo, ipIntel] = await Promise.all([
    import('../engine/case-db.ts'), import('../engine/migrations.ts'), import('../ingest/expand-paths.ts'),
    import('../engine/alerts.ts'), import('../detect/load-rules.ts'), import('../intel/lists.ts'), import('../intel/geo.ts'),
    import('../intel/ip-intel.ts'),
  ]);
  return err instanceof caseDb.CaseOpenError || err instanceof migrations.CaseSchemaError || err instanceof paths.ImportInputError
    || err instanceof rules.RuleLoadError || err instanceof alerts.AlertNotFoundError
    || err instanceof lists.ListImportError || err instanceof geo.GeoDbError || err instanceof ipIntel.NotAnAddressError;
}

export const USAGE = `Loupe — offline security log workbench (command line)

Usage:
  loupe import CASE PATH... [--format F] [--tz ZONE] [--max-line-bytes N] [--no-detect] [--json]
      Import files, folders and .gz into CASE (a .loupe file, created when missing), then run
      the built-in detection rules over the case (unless --no-detect).
  loupe info CASE [--json]
      The sources of CASE with their line counts, SHA-256 hashes and assumptions.
  loupe events CASE [--ip A] [--user U] [--from T] [--to T] [--text WORDS] [--query Q] [--limit N] [--json]
      Events in time order. T is ISO 8601 (UTC unless an offset is given) or epoch ms.
  loupe formats [--json]
      The log formats Loupe reads, with the ids --format takes.
  loupe detect CASE [--rules PATH]... [--no-builtin] [--json]
      Run the built-in Sigma rules (resources/rules/) and your rule files or folders over CASE,
      replacing its open alerts (triaged alerts keep their status and note). Prints every rule,
      loaded or skipped with the reason, and the alerts.
  loupe alerts CASE [--status S] [--level L] [--id N] [--json]
      The alerts stored in CASE, most severe first; --id shows one with why it fired and its events.
  loupe triage CASE ALERT_ID --status open|confirmed|false-positive [--note TEXT] [--json]
      Set an alert's triage status and note (recorded in the case's audit log).
  loupe listen CASE [--udp HOST:PORT]... [--tcp HOST:PORT]... [--tls HOST:PORT [--cert F --key F]]...
               [--tz ZONE] [--max-message-bytes N] [--no-detect] [--json]
      Receive syslog (RFC 5424, RFC 3164; TCP framing per RFC 6587, TLS per RFC 5425) into CASE
      until Ctrl-C, running the detection rules on it as it arrives. Without a transport it listens
      on UDP and TCP 127.0.0.1:5514; a port alone binds 127.0.0.1. TLS without --cert/--key uses a
      self-signed certificate kept beside the case. --json prints JSON lines: listening, status, stopped.
  loupe ip CASE IP... [--lookup PROVIDER]... [--refresh] [--mmdb FILE]... [--json]
      What the case knows about each address: classification, imported lists it is on, country
      and network owner (from .mmdb files: --mmdb, else the app's settings), answers of online
      providers fetched before, and its events. Nothing is sent anywhere unless --lookup names a
      provider (ipinfo, abuseipdb, greynoise, shodan-internetdb, or all); keys come from
      LOUPE_ABUSEIPDB_KEY, LOUPE_IPINFO_TOKEN, LOUPE_GREYNOISE_KEY. Answers are kept in the case;
      --refresh asks again.
  loupe lists CASE [--add FILE [--name N] [--date T] [--column C]] [--remove NAME] [--json]
      Blocklists and IoC lists of CASE; --add imports a plain, netset, CSV or JSON-lines list
      (--date: the date it describes when its header does not say), --remove drops one.

Exit codes: 0 done, 1 failed (the message says which file and why), 2 wrong command line,
130 cancelled with Ctrl-C. Ctrl-C is how \`listen\` ends: it stores what it received and exits 0.`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** Runs one CLI command; returns the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default: {
        const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
        if (load === undefined) throw new UsageError(`unknown command "${command}"`);
        return await (await load())(rest, io);
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`loupe: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof (await import('../detect/scan.ts')).DetectionCancelled) {
      io.err('loupe: detection cancelled; the case keeps the alerts it had');
      return 130;
    }
    if (await isExplained(err)) {
      io.err(`loupe: ${(err as Error).message}`);
      return 1;
    }
    io.err(`loupe: unexpected error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
