import { createHash, randomBytes } from 'node:crypto';

/** The stored form of an API token: only its SHA-256 (hex) is ever written. */
export const hashToken = (plaintext: string): string => createHash('sha256').update(plaintext).digest('hex');

/** A new token's plaintext: shown once to whoever created it, never stored. The prefix says what it is in a leaked log. */
export const generateToken = (kind: 'user' | 'service' | 'session'): string => `sg_${TOKEN_PREFIXES[kind]}_${randomBytes(24).toString('base64url')}`;

const TOKEN_PREFIXES = { user: 'usr', service: 'svc', session: 'ses' } as const;
