// Refuses to test a stale engine: the .wasm must be newer than every C++ source.
// AP_ALLOW_STALE_WASM=1 downgrades this to a warning (for web work while the
// core is mid-edit and does not compile); scripts/test.sh never sets it.
import { staleReason } from '../../scripts/check-wasm-fresh.mjs';

export default function setup(): void {
  const reason = staleReason();
  if (!reason) return;
  if (process.env['AP_ALLOW_STALE_WASM'] === '1' && !reason.includes('does not exist')) {
    console.warn(`WARNING: testing a stale engine: ${reason}`);
    return;
  }
  throw new Error(`${reason}. Run: bash scripts/build-wasm.sh`);
}
