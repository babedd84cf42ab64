import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// npm links bins as they are: the compiled entry point must be executable.
chmodSync(fileURLToPath(new URL('./bin.js', import.meta.url)), 0o755);
