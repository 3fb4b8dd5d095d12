import { z } from 'zod';

/** For procedures that take nothing: a stray field is a client bug worth a 400, not silence. */
export const NoInput = z.strictObject({}).optional();
