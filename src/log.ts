import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets anywhere in a log line. */
const REDACT = [
  'IG_APP_SECRET',
  'IG_VERIFY_TOKEN',
  'TIKTOK_CLIENT_SECRET',
  'NUQTA_API_KEYS',
  'NUQTA_TOKEN_KEY',
  'NUQTA_PREVIOUS_TOKEN_KEY',
  'NUQTA_SECRET',
  '*.IG_APP_SECRET',
  '*.IG_VERIFY_TOKEN',
  '*.TIKTOK_CLIENT_SECRET',
  '*.NUQTA_API_KEYS',
  '*.NUQTA_TOKEN_KEY',
  '*.NUQTA_PREVIOUS_TOKEN_KEY',
  '*.NUQTA_SECRET',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["tiktok-signature"]',
  'req.query["hub.verify_token"]',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'refreshToken',
  '*.refreshToken',
  'headers["access-token"]',
  '*.headers["access-token"]',
  '*.headers.authorization',
];

/** Query parameters whose values never reach a log line (the webhook handshake's verify token, member links' tokens). */
const SECRET_QUERY = /token|secret|key|signature|challenge/i;

/** The URL with the values of secret query parameters replaced. */
export function redactedUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const query = url.slice(mark + 1).split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // A name that does not decode is logged as sent.
    }
    return equals >= 0 && SECRET_QUERY.test(decoded) ? `${name}=[redacted]` : pair;
  });
  return `${url.slice(0, mark)}?${query.join('&')}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: 'nuqta' },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactedUrl(request.url),
        host: request.hostname,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  }, destination);
}
