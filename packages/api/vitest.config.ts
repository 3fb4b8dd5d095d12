export { default } from '../../vitest.database.js';
