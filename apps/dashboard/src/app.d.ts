// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Platform as NcmsPlatform } from '@ncms/platform';

declare global {
  namespace App {
    interface Locals {
      platform: NcmsPlatform;
      requestId: string;
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}

export {};
