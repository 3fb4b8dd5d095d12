import { useId } from 'react';
import { useSession } from '../auth/SessionContext.js';
import { chooseWorkspace } from '../lib/workspace.js';

/** For users in several workspaces: pick the one this tab acts in. One workspace: just its name. */
export function WorkspaceSwitcher() {
  const { workspace, workspaces, resetSession } = useSession();
  const id = useId();
  if (!workspace) return null;
  if (workspaces.length < 2) return <span className="hidden max-w-40 truncate text-sm text-muted-foreground sm:inline">{workspace.name}</span>;
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only sm:not-sr-only sm:text-sm sm:text-muted-foreground">
        Workspace
      </label>
      <select
        id={id}
        value={workspace.id}
        onChange={(event) => {
          chooseWorkspace(event.target.value);
          resetSession();
        }}
        className="h-9 max-w-36 rounded-md border border-border bg-surface px-2 text-sm sm:max-w-52"
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </div>
  );
}
