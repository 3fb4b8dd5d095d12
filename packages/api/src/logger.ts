import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** pino's level name (default LOG_LEVEL, else 'info'); 'silent' for none. */
  level?: string;
  /** Where the JSON lines go (default stdout); tests pass one that collects them. */
  destination?: DestinationStream;
}

/** The API process's structured log: one JSON line per event, errors with their cause chain in the same line. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino({ level: options.level ?? process.env.LOG_LEVEL ?? 'info' }, options.destination);
}
