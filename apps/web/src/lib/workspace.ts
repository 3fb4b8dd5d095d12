// The workspace this tab acts in, for users in several: sent as X-Workspace-Id (queries) and as a
// connection param (the event stream, whose EventSource cannot set headers).
const STORAGE_KEY = 'stagegate:workspace';

export function chosenWorkspace(): string | undefined {
  return localStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function chooseWorkspace(id: string | undefined): void {
  if (id) localStorage.setItem(STORAGE_KEY, id);
  else localStorage.removeItem(STORAGE_KEY);
}
