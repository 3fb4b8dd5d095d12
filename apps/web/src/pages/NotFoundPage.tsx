import { Link } from '../lib/router.js';

export function NotFoundPage() {
  return (
    <section>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-muted-foreground">
        Nothing lives at this address. <Link to="/" className="text-primary underline underline-offset-4">Go home</Link>
      </p>
    </section>
  );
}
