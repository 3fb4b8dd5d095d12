import { KeyRound, LogIn } from 'lucide-react';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Button } from './button.js';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './card.js';
import { ThemeToggle } from './theme.js';

export interface SignInDemoUser {
  key: string;
  name: string;
  email: string;
  /** Who this user is, e.g. "Member of acme". */
  detail: string;
}

export interface SignInScreenProps {
  /** The app's icon and name, in the header. */
  brand: ReactNode;
  title: string;
  description: string;
  /** The development demo picker; left out where there is none (production). */
  demo?: { title: string; description: string; users: SignInDemoUser[] } | undefined;
  tokenDescription: string;
  /** A sign-in is in flight: the buttons wait. */
  pending?: boolean;
  error?: string | undefined;
  onDemo: (key: string) => void;
  onToken: (token: string) => void;
}

/** Pick a demo user or paste a token; the app does the signing in. */
export function SignInScreen({ brand, title, description, demo, tokenDescription, pending = false, error, onDemo, onToken }: SignInScreenProps) {
  const [token, setToken] = useState('');
  const tokenId = useId();
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onToken(token.trim());
  };

  return (
    <div className="min-h-dvh bg-background">
      <header className="flex items-center justify-between px-4 py-3">
        <span className="flex items-center gap-2 font-semibold">{brand}</span>
        <ThemeToggle />
      </header>
      <main className="mx-auto flex max-w-lg flex-col gap-6 px-4 pt-6 pb-12">
        <div>
          <h1 className="text-2xl font-semibold">{title}</h1>
          <p className="mt-1 text-sm text-muted-foreground">{description}</p>
        </div>
        {error && (
          <p id={errorId} role="alert" className="rounded-md border border-danger/40 bg-danger/5 px-3 py-2 text-sm">
            {error}
          </p>
        )}
        {demo && (
          <Card>
            <CardHeader>
              <CardTitle asChild>
                <h2>{demo.title}</h2>
              </CardTitle>
              <CardDescription>{demo.description}</CardDescription>
            </CardHeader>
            <CardContent>
              <ul className="flex flex-col gap-2">
                {demo.users.map((user) => (
                  <li key={user.key}>
                    <Button
                      variant="secondary"
                      className="h-auto w-full justify-between py-2 text-left whitespace-normal"
                      disabled={pending}
                      onClick={() => onDemo(user.key)}
                    >
                      <span className="flex flex-col">
                        <span>{user.name}</span>
                        <span className="text-xs font-normal text-muted-foreground">
                          {user.email} · {user.detail}
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
            <CardDescription>{tokenDescription}</CardDescription>
          </CardHeader>
          <CardContent>
            <form onSubmit={submit} className="flex flex-col gap-3">
              <label htmlFor={tokenId} className="text-sm font-medium">
                Token
              </label>
              <input
                id={tokenId}
                type="password"
                autoComplete="off"
                value={token}
                onChange={(event) => setToken(event.target.value)}
                aria-describedby={error ? errorId : undefined}
                className="h-9 rounded-md border border-border bg-surface px-3 text-sm"
              />
              <Button type="submit" disabled={pending || !token.trim()}>
                <KeyRound aria-hidden="true" /> Sign in with token
              </Button>
            </form>
          </CardContent>
        </Card>
      </main>
    </div>
  );
}
