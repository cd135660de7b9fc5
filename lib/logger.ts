import pino, { type Logger } from 'pino';

/** Structured JSON logs (pino); LOG_LEVEL sets the level, default info (warn under tests). */
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL || 'info' });
}
