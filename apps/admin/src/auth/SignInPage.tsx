import { SignInPage as SharedSignInPage } from '@stagegate/app-kit/sign-in';
import { Gauge } from 'lucide-react';

/** Development: pick a demo operator; anywhere: paste an operator's token. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <SharedSignInPage
      brand={
        <>
          <Gauge aria-hidden="true" className="size-5 text-primary" /> Stagegate Dashboard
        </>
      }
      title="Sign in as an operator"
      description="Run releases: stages, rollouts, overrides and the kill switch."
      demo={{ title: 'Demo operators', description: 'Development only: sign in as one of the seeded operators.' }}
      demoFilter={(user) => user.operatorRole !== null}
      describeDemo={(user) => `operator (${user.operatorRole})`}
      tokenDescription="An operator's API token. It is exchanged for a session and not kept in this page."
      onSignedIn={onSignedIn}
    />
  );
}
