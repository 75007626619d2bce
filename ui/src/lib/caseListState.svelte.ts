// The case list's query, selection and scroll position: kept while the user opens a case
// and comes back.
import type { CaseFlag, CaseSort, Stage } from './types';

export const listState = $state({
  query: '',
  /** A stage, every stage (''), or every stage but closed ('active', the default). */
  stage: 'active' as Stage | '' | 'active',
  flags: [] as CaseFlag[],
  caseworker: '',
  institution: '',
  // Active cases by their nearest deadline: what needs doing first is on top.
  sort: 'next_due' as CaseSort,
  descending: false,
  selected: 0,
  scrollTop: 0,
});
