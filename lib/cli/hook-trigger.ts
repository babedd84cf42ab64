/** `learning collect --detach|--background`: what hooks.yaml runs, which must exit 0 whatever happens. */
export function isHookTriggered(argv: readonly string[]): boolean {
  return (
    argv[0] === 'learning' &&
    argv[1] === 'collect' &&
    argv.some((a) => a === '--detach' || a === '--background')
  );
}
