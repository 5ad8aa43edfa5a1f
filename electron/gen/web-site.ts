/** The small site the web scenario serves, the browsers and bots that visit it, and the log line. */

export interface Page {
  path: string;
  /** Typical response size in bytes. */
  bytes: number;
  /** How often visitors land on or move to this page. */
  weight: number;
}

const posts = [
  'hardening-ssh-on-debian', 'reading-apache-logs', 'our-new-office', 'release-notes-4-2',
  'privacy-policy-update', 'five-tips-for-backups', 'customer-story-northwind', 'release-notes-4-3',
  'how-we-test', 'winter-sale',
];
const products = ['1001', '1002', '1003', '1017', '1024', '1042', '1100', '1200'];

export const PAGES: readonly Page[] = [
  { path: '/', bytes: 18_420, weight: 30 },
  { path: '/about', bytes: 9_876, weight: 4 },
  { path: '/contact', bytes: 7_310, weight: 3 },
  { path: '/blog/', bytes: 21_034, weight: 8 },
  ...posts.map((slug, i) => ({ path: `/blog/${slug}`, bytes: 14_000 + i * 733, weight: 3 })),
  { path: '/products/', bytes: 24_566, weight: 10 },
  ...products.map((id, i) => ({ path: `/products/${id}`, bytes: 12_500 + i * 411, weight: 4 })),
  { path: '/pricing', bytes: 11_208, weight: 5 },
  { path: '/docs/', bytes: 16_890, weight: 4 },
  { path: '/docs/getting-started', bytes: 27_345, weight: 3 },
  { path: '/docs/faq', bytes: 19_002, weight: 2 },
  { path: '/login', bytes: 5_421, weight: 2 },
];

export const SEARCH_TERMS = [
  'pricing', 'backup', 'release+notes', 'ssh', 'invoice', 'support', 'api', 'winter+sale',
  'shipping', 'password+reset', 'docs', 'install',
];

/** Everything a first page view pulls in; later views find them in the browser cache. */
export const ASSETS: readonly { path: string; bytes: number }[] = [
  { path: '/static/css/site.4f9c2e1a.css', bytes: 48_211 },
  { path: '/static/js/app.7b31d09c.js', bytes: 131_877 },
  { path: '/static/js/vendor.e02a6f55.js', bytes: 289_104 },
  { path: '/static/img/logo.svg', bytes: 6_233 },
  { path: '/static/img/hero.webp', bytes: 84_512 },
  { path: '/static/fonts/inter-var.woff2', bytes: 97_420 },
  { path: '/favicon.ico', bytes: 15_086 },
];

export const ADMIN_PAGES: readonly Page[] = [
  { path: '/admin/', bytes: 12_034, weight: 5 },
  { path: '/admin/orders', bytes: 44_120, weight: 4 },
  { path: '/admin/users', bytes: 31_876, weight: 2 },
  { path: '/admin/settings', bytes: 9_405, weight: 1 },
  { path: '/admin/reports?range=7d', bytes: 52_330, weight: 2 },
];

/** Links that went stale: the only 404s benign visitors meet, and rarely. */
export const STALE_PATHS = [
  '/blog/old-announcement', '/products/0999', '/static/img/banner-2024.png', '/apple-touch-icon.png',
  '/docs/v1/setup', '/careers',
];

export const NOT_FOUND_BYTES = 274;

export const EXTERNAL_REFERRERS = [
  'https://www.google.com/', 'https://www.bing.com/', 'https://duckduckgo.com/',
  'https://www.linkedin.com/', 'https://news.ycombinator.com/', 'https://www.reddit.com/',
];

export const BROWSER_UAS: readonly (readonly [string, number])[] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36', 22],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36', 8],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0', 8],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0', 6],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36', 10],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15', 7],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:145.0) Gecko/20100101 Firefox/145.0', 3],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36', 3],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0', 2],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 26_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1', 14],
  ['Mozilla/5.0 (iPad; CPU OS 26_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1', 3],
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36', 12],
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/29.0 Chrome/136.0.0.0 Mobile Safari/537.36', 2],
];

export interface BotKind {
  name: string;
  userAgent: string;
  /** Where the bot's addresses come from (its operator's published ranges). */
  prefix: string;
  addresses: number;
  weight: number;
}

export const BOTS: readonly BotKind[] = [
  { name: 'googlebot', userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', prefix: '66.249.66', addresses: 3, weight: 10 },
  { name: 'googlebot-mobile', userAgent: 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.175 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', prefix: '66.249.68', addresses: 2, weight: 6 },
  { name: 'bingbot', userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', prefix: '40.77.167', addresses: 2, weight: 6 },
  { name: 'applebot', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)', prefix: '17.241.219', addresses: 1, weight: 2 },
  { name: 'duckduckbot', userAgent: 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)', prefix: '20.191.45', addresses: 1, weight: 1 },
  { name: 'yandexbot', userAgent: 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', prefix: '87.250.224', addresses: 1, weight: 1 },
  { name: 'ahrefsbot', userAgent: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', prefix: '54.36.148', addresses: 2, weight: 3 },
  { name: 'semrushbot', userAgent: 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)', prefix: '85.208.96', addresses: 1, weight: 2 },
];

export const UPTIME_MONITOR = {
  userAgent: 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
  prefix: '69.162.124',
};

/**
 * The part of a combined log line after the timestamp. Apache writes `-` for an empty body and
 * escapes `"` and `\` inside quoted fields, so payloads carrying quotes stay parseable.
 */
export function combinedTail(
  method: string, url: string, status: number, bytes: number, referrer: string, userAgent: string,
): string {
  return `"${method} ${escapeField(url)} HTTP/1.1" ${status} ${bytes > 0 ? bytes : '-'} ` +
    `"${escapeField(referrer)}" "${escapeField(userAgent)}"`;
}

function escapeField(text: string): string {
  return text.includes('"') || text.includes('\\') ? text.replace(/[\\"]/g, (c) => `\\${c}`) : text;
}

/** The part before the timestamp: `ip - user `. */
export function combinedHead(ip: string, user = '-'): string {
  return `${ip} - ${user} `;
}
