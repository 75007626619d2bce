// Deadlines of the dashboard.
import type { DueWhat } from './types';

/**
 * The rule a deadline comes from: R-ID-3M (the deadline and its track steps), R-LA-GC,
 * or R-FOLLOWUP (the next follow-up visit planned at the latest visit).
 */
export function dueRule(what: DueWhat): 'R-ID-3M' | 'R-LA-GC' | 'R-FOLLOWUP' {
  switch (what.kind) {
    case 'id3m_deadline':
    case 'id3m_step':
      return 'R-ID-3M';
    case 'legal_aid_step':
      return 'R-LA-GC';
    case 'follow_up_visit':
      return 'R-FOLLOWUP';
  }
}
