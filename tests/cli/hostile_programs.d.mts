/** One generated hostile program and what its run document must satisfy. */
export interface HostileCase {
  name: string;
  source: string | Uint8Array;
  expect: (doc: unknown) => boolean;
}
/** The deterministic list (the same on every call). */
export function hostilePrograms(): HostileCase[];
