import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets anywhere in a log line. */
const REDACT = [
  'IG_APP_SECRET',
  'IG_VERIFY_TOKEN',
  'TIKTOK_CLIENT_SECRET',
  'NUQTA_API_KEYS',
  'NUQTA_TOKEN_KEY',
  '*.IG_APP_SECRET',
  '*.IG_VERIFY_TOKEN',
  '*.TIKTOK_CLIENT_SECRET',
  '*.NUQTA_API_KEYS',
  '*.NUQTA_TOKEN_KEY',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["tiktok-signature"]',
  'req.query["hub.verify_token"]',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'headers["access-token"]',
  '*.headers["access-token"]',
  '*.headers.authorization',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'nuqta' } }, destination);
}
