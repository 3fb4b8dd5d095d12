// `@stagegate/api/contract`: what the apps and the CLI import at runtime without pulling in the
// server: error codes, roles, access levels and every procedure's input schema.
export * from './errors.js';
export * from './access.js';
export * from './inputs.js';
