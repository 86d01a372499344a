// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Platform as NcmsPlatform } from '@ncms/platform';
import type { Principal } from '@ncms/access';

declare global {
  namespace App {
    interface Locals {
      platform: NcmsPlatform;
      requestId: string;
      /** Who is asking; undefined only on the open routes (/login, /healthz). */
      principal?: Principal;
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}

export {};
