import type { UserConfig } from 'vitest/config';

export interface AppViteOptions {
  /** `pnpm dev`'s port for this app. */
  port: number;
  /** Where the server serves the build (`/admin/`); `/` when left out. */
  base?: string;
}

export declare function appViteConfig(options: AppViteOptions): UserConfig;
