/** The demo product's content: a few meetings and contacts for Home and Search to show. */
export const MEETINGS = [
  { id: 'm1', title: 'Weekly pipeline review', when: 'Mon 09:30', people: ['Ada Admin', 'Max Member'] },
  { id: 'm2', title: 'Acme onboarding call', when: 'Tue 14:00', people: ['Ari Acme', 'Mo Acme'] },
  { id: 'm3', title: 'Beta feedback: Auto-Tagging', when: 'Wed 11:00', people: ['Palmer', 'Max Member'] },
  { id: 'm4', title: 'Incident review: export timeouts', when: 'Thu 16:30', people: ['Eddie Editor', 'Noxon'] },
] as const;

export const CONTACTS = [
  { id: 'c1', name: 'Ada Admin', email: 'admin@stagegate.dev' },
  { id: 'c2', name: 'Max Member', email: 'member@stagegate.dev' },
  { id: 'c3', name: 'Ari Acme', email: 'admin@acme.dev' },
] as const;
