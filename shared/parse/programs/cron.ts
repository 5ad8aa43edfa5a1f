import { extraOf, type ProgramParser } from './common.ts';

// Vixie cron and cronie: `(root) CMD (command)`, `(*system*) RELOAD (/etc/crontab)`,
// crontab(1): `(alice) REPLACE (alice)`. The detail runs to the last `)` since commands hold parentheses.
const CRON_RE = /^\(([^)\s]*)\) ([A-Z][A-Z ]*?) \((.*)\)$/s;

export const parseCron: ProgramParser = (message, event) => {
  const m = CRON_RE.exec(message);
  if (!m) return false;
  const [, who = '', verb = '', detail = ''] = m;
  const extra = extraOf(event);
  if (verb === 'CMD') {
    event.action = 'cron-command';
    extra.command = detail;
  } else {
    event.action = `cron-${verb.toLowerCase().replaceAll(' ', '-')}`;
    extra.detail = detail;
  }
  // `*system*` names /etc/crontab, not a user.
  if (who.startsWith('*')) extra.crontab = who;
  else if (who !== '') event.user = who;
  return true;
};
