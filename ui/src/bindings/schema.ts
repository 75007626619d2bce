// Generated from the Rust record schema (crates/domain/src/schema.rs) by
// src-tauri/src/bindings.rs. Do not edit.
import type { Case } from './Case';
import type { Person } from './Person';
import type { RecordBody } from './RecordBody';
import type { RecordKind } from './RecordKind';
import type { SchemaDoc } from './SchemaDoc';
import schemaJson from './schema.json';

/** The body of a record of kind `K`, without its `type` tag. */
export type BodyOf<K extends RecordKind> = Omit<Extract<RecordBody, { type: K }>, 'type'>;

/** The record schema: fields, labels, types, limits, enumerations. */
export const SCHEMA: SchemaDoc = schemaJson as SchemaDoc;

/** The field names of each record kind, in schema order. */
export const RECORD_FIELDS = {
  shelter_stay: ['institution', 'kind', 'admitted', 'discharged', 'reason'],
  identity_attempt: ['date', 'method', 'outcome', 'verified_date', 'police_reference', 'notes'],
  track_step: ['step', 'date', 'by', 'notes'],
  track_closure: ['date', 'reason', 'by'],
  placement: ['kind', 'start', 'end', 'place', 'carer', 'decided_by', 'supervisor_approval', 'district_approval', 'notes'],
  rehabilitation: ['service', 'provider', 'start', 'end', 'outcome', 'disability_grade', 'certificate_no'],
  schooling: ['date', 'status', 'school', 'elsewhere', 'psych_education', 'notes'],
  family_return: ['date', 'kind', 'place', 'privacy_measures', 'notes'],
  employment: ['date', 'service', 'provider', 'wanted', 'notes'],
  legal_aid: ['centre', 'matter', 'green_channel', 'received', 'accepted', 'reviewed', 'decision', 'refusal_reason', 'assigned', 'assignee', 'handled', 'closed'],
  follow_up: ['date', 'visitor', 'living_situation', 'needs', 'actions', 'mode', 'place', 'next_visit'],
  interview: ['date', 'interviewer', 'agencies_present', 'interpreter', 'guardian_or_social_worker_present', 'repeat_reason'],
  mandatory_report: ['date', 'reported_to', 'reference', 'summary'],
  note: ['date', 'text'],
  consent: ['given_by', 'guardian_name', 'covers', 'recipients', 'from', 'withdrawn', 'notes'],
} as const satisfies { readonly [K in RecordKind]: readonly (keyof BodyOf<K>)[] };

/** Every field of each record kind is in `RECORD_FIELDS` (a missing one is a type error). */
export const RECORD_FIELDS_COMPLETE: {
readonly [K in RecordKind]: Exclude<keyof BodyOf<K>, (typeof RECORD_FIELDS)[K][number]> extends never ? true : never;
} = {
  shelter_stay: true,
  identity_attempt: true,
  track_step: true,
  track_closure: true,
  placement: true,
  rehabilitation: true,
  schooling: true,
  family_return: true,
  employment: true,
  legal_aid: true,
  follow_up: true,
  interview: true,
  mandatory_report: true,
  note: true,
  consent: true,
};

/** The fields of a person, in schema order. */
export const PERSON_FIELDS = ['id', 'name', 'intake_number', 'other_names', 'sex', 'birth_date', 'nationality', 'ethnicity', 'household_registration', 'resident_id', 'disability', 'languages', 'guardians', 'found_place'] as const satisfies readonly (keyof Person)[];

/** The fields of a case, in schema order. */
export const CASE_FIELDS = ['id', 'case_number', 'person_id', 'institution', 'institution_kind', 'received_date', 'referral', 'police_reference', 'caseworker', 'flags', 'stage'] as const satisfies readonly (keyof Case)[];
