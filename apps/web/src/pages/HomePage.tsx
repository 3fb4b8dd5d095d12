import { Button } from '@stagegate/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@stagegate/ui/card';
import { CalendarDays, FlaskConical } from 'lucide-react';
import { useSession } from '../auth/SessionContext.js';
import { Link } from '../lib/router.js';
import { MEETINGS } from './meetings.js';

export function HomePage() {
  const { user, workspace } = useSession();
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Welcome, {user.name.split(' ')[0]}</h1>
        <p className="mt-1 text-muted-foreground">{workspace?.name}</p>
      </div>
      <section aria-labelledby="meetings-heading" className="flex flex-col gap-3">
        <h2 id="meetings-heading" className="text-lg font-semibold">
          This week's meetings
        </h2>
        <ul className="grid gap-3 sm:grid-cols-2">
          {MEETINGS.map((meeting) => (
            <li key={meeting.id}>
              <Card className="flex items-start gap-3 p-4">
                <CalendarDays aria-hidden="true" className="mt-0.5 size-5 text-muted-foreground" />
                <div>
                  <p className="font-medium">{meeting.title}</p>
                  <p className="text-sm text-muted-foreground">
                    {meeting.when} · {meeting.people.join(', ')}
                  </p>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      </section>
      <Card>
        <CardHeader>
          <CardTitle asChild>
            <h2>Try what's next</h2>
          </CardTitle>
          <CardDescription>Alpha and beta features you can switch on for yourself.</CardDescription>
        </CardHeader>
        <CardContent>
          <Button asChild variant="secondary">
            <Link to="/settings/beta-features">
              <FlaskConical aria-hidden="true" /> Beta features
            </Link>
          </Button>
        </CardContent>
      </Card>
    </div>
  );
}
