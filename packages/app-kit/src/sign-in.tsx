import { SignInScreen, type SignInScreenProps } from '@stagegate/ui/sign-in-screen';
import { useMutation, useQuery } from '@tanstack/react-query';
import { demoUsers, signIn, type DemoUser, type SignInRequest } from './session.js';

export interface SignInPageProps extends Pick<SignInScreenProps, 'brand' | 'title' | 'description' | 'tokenDescription'> {
  demo: { title: string; description: string };
  /** Which demo users this app offers (the dashboard: operators only), and how each is described. */
  demoFilter?: (user: DemoUser) => boolean;
  describeDemo: (user: DemoUser) => string;
  onSignedIn: () => void;
}

/** Development: pick a demo user; anywhere: paste a token. Either way the server sets the session cookie. */
export function SignInPage({ demo, demoFilter = () => true, describeDemo, onSignedIn, ...copy }: SignInPageProps) {
  const demos = useQuery({ queryKey: ['demo-users'], queryFn: demoUsers });
  const submit = useMutation({ mutationFn: (request: SignInRequest) => signIn(request), onSuccess: onSignedIn });
  const users = demos.data?.users.filter(demoFilter).map((user) => ({ key: user.key, name: user.name, email: user.email, detail: describeDemo(user) }));

  return (
    <SignInScreen
      {...copy}
      demo={demos.data?.enabled && users ? { ...demo, users } : undefined}
      pending={submit.isPending}
      error={submit.error?.message}
      onDemo={(demoUser) => submit.mutate({ demoUser })}
      onToken={(token) => submit.mutate({ token })}
    />
  );
}
