import type { DemoUser } from '@stagegate/app-kit/session';
import { SignInPage as SharedSignInPage } from '@stagegate/app-kit/sign-in';
import { FlaskConical } from 'lucide-react';

function describeDemo(user: DemoUser): string {
  if (user.operatorRole) return `Operator (${user.operatorRole}), no workspace`;
  if (user.workspace) return `${user.workspace.role === 'admin' ? 'Workspace admin' : 'Member'} of ${user.workspace.slug}`;
  return 'No workspace';
}

/** Development: pick a demo user; anywhere: paste a token. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <SharedSignInPage
      brand={
        <>
          <FlaskConical aria-hidden="true" className="size-5 text-primary" /> Stagegate
        </>
      }
      title="Sign in to Stagegate"
      description="Try new features before they're released to everyone."
      demo={{ title: 'Demo users', description: 'Development only: sign in as one of the seeded users.' }}
      describeDemo={describeDemo}
      tokenDescription="Paste a token an administrator gave you. It is exchanged for a session and not kept in this page."
      onSignedIn={onSignedIn}
    />
  );
}
