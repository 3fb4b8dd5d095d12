import { Button } from '@stagegate/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@stagegate/ui/card';
import { Field, Input } from '@stagegate/ui/field';
import { ThemeToggle } from '@stagegate/ui/theme';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Gauge, KeyRound, LogIn } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { demoOperators, signIn, type SignInRequest } from './session.js';

/** Development: pick a demo operator; anywhere: paste an operator's token. The server sets the session cookie. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const demos = useQuery({ queryKey: ['demo-operators'], queryFn: demoOperators });
  const [token, setToken] = useState('');
  const submit = useMutation({ mutationFn: (request: SignInRequest) => signIn(request), onSuccess: onSignedIn });
  const onToken = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) submit.mutate({ token: token.trim() });
  };

  return (
    <div className="min-h-dvh bg-background">
      <header className="flex items-center justify-between px-4 py-3">
        <span className="flex items-center gap-2 font-semibold">
          <Gauge aria-hidden="true" className="size-5 text-primary" /> Stagegate Dashboard
        </span>
        <ThemeToggle />
      </header>
      <main className="mx-auto flex max-w-lg flex-col gap-6 px-4 pt-6 pb-12">
        <div>
          <h1 className="text-2xl font-semibold">Sign in as an operator</h1>
          <p className="mt-1 text-sm text-muted-foreground">Run releases: stages, rollouts, overrides and the kill switch.</p>
        </div>
        {submit.error && (
          <p role="alert" className="rounded-md border border-danger/40 bg-danger/5 px-3 py-2 text-sm">
            {submit.error.message}
          </p>
        )}
        {demos.data?.enabled && (
          <Card>
            <CardHeader>
              <CardTitle asChild>
                <h2>Demo operators</h2>
              </CardTitle>
              <CardDescription>Development only: sign in as one of the seeded operators.</CardDescription>
            </CardHeader>
            <CardContent>
              <ul className="flex flex-col gap-2">
                {demos.data.users.map((user) => (
                  <li key={user.key}>
                    <Button
                      variant="secondary"
                      className="h-auto w-full justify-between py-2 text-left whitespace-normal"
                      disabled={submit.isPending}
                      onClick={() => submit.mutate({ demoUser: user.key })}
                    >
                      <span className="flex flex-col">
                        <span>{user.name}</span>
                        <span className="text-xs font-normal text-muted-foreground">
                          {user.email} · operator ({user.operatorRole})
                        </span>
                      </span>
                      <LogIn aria-hidden="true" />
                    </Button>
                  </li>
                ))}
              </ul>
            </CardContent>
          </Card>
        )}
        <Card>
          <CardHeader>
            <CardTitle asChild>
              <h2>Sign in with a token</h2>
            </CardTitle>
            <CardDescription>An operator's API token. It is exchanged for a session and not kept in this page.</CardDescription>
          </CardHeader>
          <CardContent>
            <form onSubmit={onToken} className="flex flex-col gap-3">
              <Field label="Token">
                <Input type="password" autoComplete="off" value={token} onChange={(event) => setToken(event.target.value)} />
              </Field>
              <Button type="submit" disabled={submit.isPending || !token.trim()}>
                <KeyRound aria-hidden="true" /> Sign in with token
              </Button>
            </form>
          </CardContent>
        </Card>
      </main>
    </div>
  );
}
