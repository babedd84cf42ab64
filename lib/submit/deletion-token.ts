import { createHmac } from 'node:crypto';
import { loadOrCreateSecret } from '../privacy/secret.ts';

/**
 * The deletion token this project offers a hub (the hub's `deletion-token` request header),
 * derived from the project's secret key: the same hub and project always get the same token, so
 * it is known before the first answer arrives. A first submission whose answer is lost (and whose
 * retry the hub answers "duplicate", without a token) can still be deleted later. A hub that
 * chooses its own token returns it, and that one is kept instead.
 */
export function deletionTokenFor(projectRoot: string, hub: string, projectId: string): string {
  return createHmac('sha256', loadOrCreateSecret(projectRoot))
    .update(`tapps-learning deletion token v1\u0000${hub}\u0000${projectId}`)
    .digest('hex');
}
