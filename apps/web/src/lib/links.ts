import { sameOriginLinks } from '@stagegate/app-kit/trpc';
import type { AppRouter } from '@stagegate/api';
import { chosenWorkspace } from './workspace.js';

function workspaceParams(): Record<string, string> {
  const workspaceId = chosenWorkspace();
  return workspaceId ? { workspaceId } : {};
}

function workspaceHeader(): Record<string, string> {
  const workspaceId = chosenWorkspace();
  return workspaceId ? { 'x-workspace-id': workspaceId } : {};
}

/** The session cookie authenticates; the chosen workspace rides along as a header (and as a connection param on the stream). */
export const appLinks = () => sameOriginLinks<AppRouter>({ headers: workspaceHeader, connectionParams: workspaceParams });
