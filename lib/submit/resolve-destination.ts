import type { ConsentRecord } from '../../schema/consent.ts';
import { type Destination, DestinationError, destinationFromKey, parseDestination } from './destination.ts';
import { ENV_SUBMIT_TO } from './environment.ts';

export interface ResolvedDestination {
  destination: Destination;
  /** Where the choice came from, for messages: `--to`, the environment variable, the consent record, the default. */
  source: string;
}

/**
 * Which destination a submission goes to: `--to`, else TAPPS_LEARNING_SUBMIT_TO, else the one
 * destination the user approved, else the framework's GitHub repository. The committed config is
 * not a source. Whatever the source, the consent check that follows decides whether it may be used.
 */
export function resolveDestination(o: {
  flag: string | undefined;
  env: NodeJS.ProcessEnv;
  record: ConsentRecord;
  cwd: string;
  githubApiBase: string;
}): ResolvedDestination {
  const parse = { cwd: o.cwd, githubApiBase: o.githubApiBase };
  if (o.flag !== undefined)
    return { destination: parseDestination(o.flag, { ...parse, source: '--to' }), source: '--to' };
  const fromEnv = o.env[ENV_SUBMIT_TO];
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return {
      destination: parseDestination(fromEnv, { ...parse, source: ENV_SUBMIT_TO }),
      source: ENV_SUBMIT_TO,
    };
  const approved = [...new Set(o.record.grants.map((g) => g.destination))];
  if (approved.length > 1)
    throw new DestinationError(
      `several destinations are approved (${approved.join(', ')}); choose one with --to`,
    );
  if (approved.length === 1)
    return { destination: destinationFromKey(approved[0] as string, parse), source: 'the consent record' };
  return {
    destination: parseDestination('github', { ...parse, source: 'the default destination' }),
    source: 'the default',
  };
}
