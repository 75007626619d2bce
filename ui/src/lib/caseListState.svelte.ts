// The case list's query, selection and scroll position: kept while the user opens a case
// and comes back.
import type { CaseFlag, CaseSort, Stage } from './types';

export const listState = $state({
  query: '',
  stage: '' as Stage | '',
  flags: [] as CaseFlag[],
  caseworker: '',
  institution: '',
  sort: 'case_number' as CaseSort,
  descending: false,
  selected: 0,
  scrollTop: 0,
});
