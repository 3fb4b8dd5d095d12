import { EmptyState } from '@stagegate/ui/empty-state';
import { useMayAct } from '../auth/OperatorContext.js';
import { AuditPage } from '../audit/AuditPage.js';
import { BoardPage } from '../board/BoardPage.js';
import { FlagPage } from '../flag/FlagPage.js';
import { Link } from '../lib/router.js';
import { TokensPage } from '../tokens/TokensPage.js';

/** The page for a path inside /admin. */
export function Pages({ path }: { path: string }) {
  const owner = useMayAct('owner');
  if (path === '/') return <BoardPage />;
  const flag = /^\/flags\/([^/]+)$/.exec(path);
  if (flag) return <FlagPage key={flag[1]} flagKey={decodeURIComponent(flag[1]!)} />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/tokens' && owner) return <TokensPage />;
  if (path === '/tokens') return <EmptyState title="API tokens are for owners" description="Your operator role does not manage API tokens." />;
  return <EmptyState title="No such page" description={`Nothing lives at ${path}.`} action={<Link to="/" className="text-primary underline">Back to the board</Link>} />;
}
