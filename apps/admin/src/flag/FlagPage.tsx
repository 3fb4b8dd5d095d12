export function FlagPage({ flagKey }: { flagKey: string }) {
  return <h1>{flagKey}</h1>;
}
