// Names as the domain shows them (crates/domain/src/model.rs display_name), in the UI language.
import type { Person } from './types';
import { t } from '../i18n/index.svelte';

export function displayName(p: Pick<Person, 'name' | 'intake_number'>): string {
  if (p.name && p.name.trim() !== '') return p.name;
  if (p.intake_number && p.intake_number.trim() !== '') return t('person.unknown_intake', { n: p.intake_number });
  return t('person.unknown');
}
