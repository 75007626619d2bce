// English text of every code the Rust side reports (see codes.ts).
import type { CodeCatalogue } from './codes';
import type { LedgerCell } from '../bindings/LedgerCell';

const ledgerAt = (at: LedgerCell) => `sheet ${at.sheet_index}, row ${at.row}, column ${at.letter} (${at.column})`;

const LISTS: { [list: string]: string } = { persons: 'person', cases: 'case', records: 'record' };

export const codesEn: CodeCatalogue = {
  problems: {
    'vault.wrong_passphrase': () => 'Wrong passphrase or recovery code; the vault was not changed',
    'vault.no_vault': ({ dir }) => `There is no vault in ${dir}: create one first`,
    'vault.exists': ({ dir }) => `A vault already exists in ${dir}`,
    'vault.not_writable': ({ path }) => `${path} cannot be written: check its permissions or choose another folder`,
    'vault.disk_full': ({ dir }) =>
      `Disk full: the disk holding ${dir} has no space left; free some space and try again (what was saved is unharmed)`,
    'vault.io': ({ path, kind }, f) => `The vault file ${path} could not be read or written (${f.io(kind)})`,
    'vault.header_corrupt': () => "The vault's key file is damaged: restore it from a backup",
    'vault.newer_version': ({ found, supported }) =>
      `This vault was made by a newer version of Guitu (schema ${found}, this build knows up to ${supported}): upgrade Guitu to open it; nothing was changed`,
    'vault.crypto': () => 'A cryptographic operation failed',
    'vault.weak_passphrase': ({ min }) => `The passphrase is too short: at least ${min} characters`,
    'vault.last_slot': () => 'The last key of the vault cannot be removed: it could never be opened again',
    'vault.not_found': ({ what, reference }, f) => `No ${f.thing(what)} ${reference}`,
    'vault.duplicate': ({ what, value }, f) => `The ${f.thing(what)} ${value} already exists`,
    'vault.corrupt': () => "The vault is damaged: run 'guitu verify' and restore from a backup",
    'vault.bad_backup': ({ reason }, f) => `Not a valid Guitu backup: ${f.backup(reason)}`,
    'vault.database_missing': ({ dir }) => `The vault database is missing from ${dir} (the key file is there): restore a backup`,
    'vault.database_empty': ({ dir }) =>
      `The vault database in ${dir} is empty (truncated or replaced); nothing was changed: restore a backup`,
    'vault.changes_missing': ({ dir, missing, last_known_on }, f) =>
      `The last ${missing} changes to the vault in ${dir}${last_known_on ? ` (the last of ${f.date(last_known_on)})` : ''} are missing: the database was replaced by an older copy, or its write-ahead log was deleted or cut short; restore a backup`,
    'vault.history_diverged': ({ dir, seq }) =>
      `The vault database in ${dir} was replaced by another copy (change ${seq} differs): restore a backup`,
    'vault.checkpoint_missing': ({ dir }) =>
      `The vault checkpoint is missing from ${dir}: the vault cannot be shown to be complete`,
    'vault.checkpoint_invalid': ({ dir }) => `The vault checkpoint in ${dir} is not valid (changed, or another vault's)`,
    'vault.header_rolled_back': ({ dir, found, expected }) =>
      `The key file in ${dir} was replaced by an older copy (generation ${found}, expected ${expected}): a revoked passphrase cannot open the vault`,
    'vault.restore_other_vault': () => 'The backup belongs to another vault: replacing this vault with it needs a confirmation',
    'vault.restore_older': ({ backup_changes, current_changes, backup_last_on }, f) =>
      `The backup is older than the vault (it ends at change ${backup_changes}${backup_last_on ? `, of ${f.date(backup_last_on)}` : ''}; the vault has ${current_changes}): restoring it loses the newer changes and needs a confirmation`,
    'vault.case_person_fixed': () => 'A case cannot move to another person',
    'vault.record_kind_fixed': () => 'A record cannot change its kind',
    'vault.same_person': () => 'A person cannot be merged with, or told apart from, themselves',
    'vault.merge_undone': () => 'This merge has been undone already',
    'vault.voided': () => 'This has been voided: restore it before changing it',
    'vault.not_voided': () => 'This is not voided: nothing to restore',
    'vault.internal': () => "A database operation failed: run 'guitu verify' to check the vault",

    'import.not_json': ({ line, column }) =>
      `The import file is not complete, valid JSON (line ${line}, column ${column}); nothing was written`,
    'import.trailing': ({ line, column }) =>
      `The import file goes on after its JSON document (line ${line}, column ${column}): two files joined? Nothing was written`,
    'import.format': ({ supported }) => `Not a Guitu file this build reads (version 1 to ${supported}); nothing was written`,
    'import.invalid': ({ path, problem }, f) => `Import refused, nothing was written: ${path}: ${f.importProblem(problem)}`,
    'import.rule': ({ at, error }, f) => `Import refused, nothing was written: ${f.location(at)}: ${f.rule(error)}`,
    'import.duplicate_id': ({ at }, f) =>
      `Import refused, nothing was written: ${f.location(at)} repeats an id of the file or the vault`,
    'import.duplicate_case_number': ({ at, case_number }, f) =>
      `Import refused, nothing was written: ${f.location(at)}: case number ${case_number} appears twice`,
    'import.missing_reference': ({ at, field, target }, f) =>
      `Import refused, nothing was written: ${f.location(at)}: field ${field} names ${target}, which does not exist`,
    'import.undecided_duplicates': ({ count }) =>
      `Import refused, nothing was written: ${count} persons may already be in the vault; decide for each pair whether it is the same person`,

    'ledger.not_workbook': () => 'Not an Excel workbook (.xlsx or .xls) Guitu reads; nothing was written',
    'ledger.no_sheet': () => 'The workbook has no sheet of the name given',
    'ledger.no_header': () =>
      'No header row in the first ten rows (at least three known headers, such as name, ID number, rescue date)',
    'ledger.missing_column': ({ column }) => `The ledger has no column for ${column}: map one to it`,
    'ledger.column_twice': ({ column }) => `Two columns are mapped to ${column}: keep one`,
    'ledger.bad_map': () => 'The mapping file must be a JSON object of header texts to column keys',
    'ledger.unknown_map_column': ({ allowed }) => `The mapping file names an unknown column; known: ${allowed.join(', ')}`,
    'ledger.map_header_missing': () => 'The mapping file names a header the header row does not have',
    'ledger.no_institution': () =>
      'The ledger has no receiving-institution column and no office is set: map a column or set the office in the settings',
    'ledger.empty': () => 'The ledger has no rows; nothing was written',
    'ledger.already_imported': () => 'This ledger (the same file and sheet) was imported already; nothing was written',
    'ledger.write_failed': () => 'The ledger file could not be made',
    'ledger.missing_value': ({ at }) => `Ledger refused, nothing was written: ${ledgerAt(at)} must not be blank`,
    'ledger.not_a_date': ({ at }) => `Ledger refused, nothing was written: ${ledgerAt(at)} is not a date`,
    'ledger.impossible_date': ({ at }) => `Ledger refused, nothing was written: ${ledgerAt(at)} is a date that does not exist`,
    'ledger.future_date': ({ at }) => `Ledger refused, nothing was written: ${ledgerAt(at)} is a date in the future`,
    'ledger.bad_id_number': ({ at, problem }, f) =>
      `Ledger refused, nothing was written: ${ledgerAt(at)}: ${f.rule({ code: 'rule.invalid_resident_id', params: { problem } })}`,
    'ledger.id_as_number': ({ at }) =>
      `Ledger refused, nothing was written: ${ledgerAt(at)} holds an ID number stored as a number, its last digits lost: make the column text and type it again`,
    'ledger.unknown_value': ({ at, allowed }) =>
      `Ledger refused, nothing was written: ${ledgerAt(at)} is not one of the values it takes (${allowed.join(', ')})`,
    'ledger.too_long': ({ at, max }) => `Ledger refused, nothing was written: ${ledgerAt(at)} is longer than ${max} characters`,
    'ledger.error_cell': ({ at }) =>
      `Ledger refused, nothing was written: ${ledgerAt(at)} holds an Excel error value (such as #N/A)`,
    'ledger.rule': ({ at, error }, f) => `Ledger refused, nothing was written: ${ledgerAt(at)}: ${f.rule(error)}`,
    'file.io': ({ path, kind }, f) => `Cannot read or write ${path} (${f.io(kind)})`,
    'print.weak_password': ({ min }) => `The PDF password is too short: at least ${min} characters`,
    'print.failed': () => 'The PDF could not be made',
    'handoff.basis_needed': ({ recipient, allowed }, f) =>
      `A hand-off to a recipient of the kind “${f.label('RecipientKind', recipient)}” needs a basis: the case has no consent in force for it; choose a legal basis (${f.list(allowed.map((b) => f.label('LegalBasis', b)))})`,
    'input.bad_date': ({ value }) => `'${value}' is not a date: use YYYY-MM-DD, e.g. 2026-01-31`,
    'input.bad_year': ({ given, min, max }) => `${given} is not a year Guitu reports on: use ${min} to ${max}`,
    'input.empty_user': () => 'The user name is empty',
    'input.passphrases_differ': () => 'The two passphrases differ',
    'input.unknown_print_kind': ({ given, allowed }, f) => `Unknown kind of printed file '${given}': use ${f.list(allowed)}`,
    'input.unknown_basis': ({ given, allowed }, f) => `Unknown legal basis “${given}”: choose one of ${f.list(allowed)}`,
    'input.unknown_recipient_kind': ({ given, allowed }, f) => `Unknown kind of recipient “${given}”: choose one of ${f.list(allowed)}`,
    'bundle.refused': ({ reason }, f) => `The bundle was refused and nothing was changed: ${f.bundle(reason)}`,
    'bundle.no_cases': () => 'No case is shared with that device: choose the cases to send',
    'peer.bad_card': () => 'Not a valid Guitu contact card: its format, keys, fingerprint or signature do not match',
    'peer.own_device': () => "This is this device's own contact card",
    'peer.fingerprint_mismatch': () =>
      "The fingerprint compared is not the card's: the peer was not added; compare again with the other side",
    'peer.unknown': ({ given }) => `No peer named or with the id “${given}”`,
    'conflict.bad_value': () => 'The value does not fit the field',
    'input.unknown_role': ({ given, allowed }, f) => `Unknown role “${given}”: choose one of ${f.list(allowed)}`,
    'input.unknown_subject': ({ given, allowed }, f) => `Unknown approval subject “${given}”: choose one of ${f.list(allowed)}`,
    'input.bad_person_pair': ({ given }) =>
      `“${given}” must be FILE_PERSON=VAULT_PERSON (ids, or a case number for the vault's person)`,
    'input.no_data_dir': () => 'No user data folder found: give the vault folder',
    'input.no_terminal': ({ variable }) =>
      `No passphrase given: it cannot be asked for without a terminal; set the environment variable ${variable}`,
    'demo.real_vault': () => 'Demo data goes only into a training vault, never into a real one',
    'training.already_open': () => 'This is already a training vault',
    'app.locked': () => 'The vault is locked: unlock it first',
    'app.internal': () => 'Internal error: restart the app',
    'ui.unexpected': () => 'Something unexpected went wrong: try again, and restart the app if it goes on',

    'rule.invalid_resident_id': ({ problem }, f) => `Invalid resident ID number: ${f.idNumber(problem)}`,
    'rule.required': ({ field }, f) => `Required field '${f.field(field)}' is empty`,
    'rule.name_or_intake_number': () => 'Give the name or, while it is unknown, the intake number',
    'rule.too_long': ({ field, max }, f) => `'${f.field(field)}' is too long: at most ${max} characters`,
    'rule.bad_characters': ({ field }, f) => `'${f.field(field)}' holds control or text-direction characters`,
    'rule.out_of_range': ({ field, min, max }, f) => `'${f.field(field)}' must be between ${min} and ${max}`,
    'rule.date_out_of_range': ({ field, min_year, max_year }, f) =>
      `'${f.field(field)}' is not a date between ${min_year} and ${max_year}`,
    'rule.end_before_start': ({ field, start_field, start, end }, f) =>
      `'${f.field(field)}' (${f.date(end)}) is before '${f.field(start_field)}' (${f.date(start)})`,
    'rule.date_after_today': ({ field, today }, f) =>
      `'${f.field(field)}' is after today (${f.date(today)}): what has not happened cannot be recorded as done (R-DATE)`,
    'confirm.needed': ({ warnings }) =>
      `${warnings.length} ${warnings.length === 1 ? 'warning needs' : 'warnings need'} a confirmation: check, then choose 'Save anyway'`,
    'rule.placement_with_buyer': () =>
      'A rescued child must not be placed with the family that bought them (R-PL-BUYER)',
    'rule.employment_under_16': ({ age }) =>
      `Employment services are for persons aged 16 or over; age on the service date is ${age} (R-EMP-16)`,
    'rule.employment_not_wanted': () => 'Employment services are given only to persons who want them (R-EMP-16)',
    'rule.verified_date_without_verified': () => 'Only a verified outcome has a verified date',
    'rule.legal_aid_after_refusal': ({ step }, f) => `A refused legal-aid application has no step '${f.label('LaStep', step)}'`,
    'rule.legal_aid_step_order': ({ step, date, previous }, f) =>
      `Legal-aid step '${f.label('LaStep', step)}' on ${f.date(date)} is before the previous step on ${f.date(previous)}`,
    'rule.repeat_interview_needs_reason': () =>
      'An interview is already on record: a repeat interview needs a reason (R-ONESTOP)',
    'rule.bad_calendar': ({ problem }, f) => `Invalid holiday calendar file: ${f.calendar(problem)}`,
    'rule.bad_setting': ({ problem }, f) => `Invalid setting: ${f.setting(problem)}`,
    'permission.denied': ({ permission, record_kind }, f) =>
      record_kind
        ? `Your role may not ${f.label('Permission', permission)} (${f.label('RecordKind', record_kind)})`
        : `Your role may not ${f.label('Permission', permission)}`,
    'approval.self': () => 'You cannot decide your own request: another supervisor must',
    'approval.decided': () => 'The request was decided already',
    'approval.needed': ({ subject }, f) => `${f.label('ApprovalSubject', subject)} needs a supervisor's approval: request it`,
    'user.disabled': () => 'This user has been disabled: ask an administrator',
    'user.unknown': () => 'This user has no role in the vault: ask an administrator to add it',
    'user.exists': () => 'A user of that name exists already',
    'user.self': () => 'You cannot disable or remove your own account',
    'user.last_administrator': () => 'The vault must keep at least one active administrator',
    'user.must_unlock': ({ users }) => `These users must unlock once before a user can be removed: ${users.join(', ')}`,
  },

  warnings: {
    'warn.age_unknown': () => 'Birth date unknown: cannot confirm the person is 16 or over (R-EMP-16)',
    'warn.estimated_birth_date': ({ age }) =>
      `The birth date is estimated (age ${age} by the estimate): please confirm (R-EMP-16)`,
    'warn.id_birth_date_mismatch': ({ id_birth, recorded }, f) =>
      `The ID number's birth date (${f.date(id_birth)}) differs from the recorded birth date (${f.date(recorded)}) (R-ID-NUM)`,
    'warn.calendar_fallback': ({ years }) =>
      `The ${years.join(', ')} holiday ${years.length === 1 ? 'calendar is' : 'calendars are'} not loaded: working days assumed Monday to Friday`,
    'warn.minor_interview_without_guardian': () =>
      'A guardian or social worker should be present when a minor is interviewed',
    'warn.district_approval_needed': () =>
      'Identity not established within three months: the placement needs district government approval (R-ID-3M)',
    'warn.unknown_parents': ({ guidance }) => codesEn.guidance[guidance],
    'warn.before_intake': ({ field, received }, f) =>
      `'${f.field(field)}' is before the case was received (${f.date(received)}): please check (R-DATE)`,
    'warn.birth_date_in_future': () => 'The birth date is after today: please check (R-DATE)',
    'warn.age_over_100': ({ age }) => `The birth date makes the person ${age} years old: please check (R-DATE)`,
    'warn.school_summary_for_adult': ({ age, estimated }) =>
      `The person is ${age}${estimated ? ' by the estimated birth date' : ''}, an adult: a school's hand-off summary is for minors, check the kind of file (R-PRINT-FIT)`,
    'warn.school_summary_age_unknown': () =>
      "Birth date unknown: cannot confirm the person is a minor, and a school's hand-off summary is for minors (R-PRINT-FIT)",
  },

  guidance: {
    not_applicable: 'No temporary guardianship or long-term care is needed (R-PL-UNKNOWN)',
    temporary_guardianship: 'Parents cannot be found: temporary guardianship by a minor-protection centre (R-PL-UNKNOWN)',
    child_welfare:
      'Parents still not found after temporary guardianship: placement with a child-welfare institution (R-PL-UNKNOWN)',
    done: 'Placed with a child-welfare institution (R-PL-UNKNOWN)',
  },

  due: {
    id3m_deadline: () => 'three-month identity deadline',
    id3m_step: ({ step }, f) => `household-registration track: ${f.label('TrackStep', step)}`,
    legal_aid_step: ({ step, green_channel }, f) =>
      green_channel ? `legal aid (green channel): ${f.label('LaStep', step)}` : `legal aid: ${f.label('LaStep', step)}`,
    follow_up_visit: () => 'next follow-up visit',
  },

  setting: {
    case_prefix: ({ max }) => `The case-number prefix must be 1 to ${max} upper-case letters or digits`,
    idle_minutes: ({ min, max }) => `Idle-lock minutes must be ${min} to ${max}`,
    lead_days: ({ max }) => `A warning lead cannot exceed ${max} days`,
    step_target: ({ step, max }, f) => `The target of '${f.label('TrackStep', step)}' cannot exceed ${max} working days`,
    step_order: ({ step, previous }, f) =>
      `The target of '${f.label('TrackStep', step)}' cannot be before the step before it, '${f.label('TrackStep', previous)}'`,
    legal_aid_target: ({ channel, step, max }, f) =>
      `Legal aid (${f.channel(channel)}): the '${f.label('LaStep', step)}' target cannot exceed ${max} working days`,
    accept_after_decide: ({ channel }, f) => `Legal aid (${f.channel(channel)}): acceptance cannot be due after the decision`,
    green_slower: ({ step }, f) =>
      `Legal aid: the green channel's '${f.label('LaStep', step)}' target cannot be longer than the ordinary one`,
    duplicate_scores: ({ min, max }) =>
      `Duplicate scores must be ${min} to ${max}, and the likely score not below the candidate score`,
    office: ({ max }) => `The office name cannot exceed ${max} characters or hold control characters`,
  },

  calendar: {
    not_calendar: ({ line, column }) => `not in the calendar layout (line ${line}, column ${column})`,
    no_source: ({ year }) => `year ${year}: the source notice is missing`,
    no_holiday_name: ({ year }) => `year ${year}: a holiday has no name`,
    outside_year: ({ year, date }, f) => `${f.date(date)} is not in ${year}`,
    two_holidays: ({ date }, f) => `${f.date(date)} is listed under two holidays`,
    holiday_and_workday: ({ date }, f) => `${f.date(date)} is both a holiday and a make-up working day`,
    makeup_not_weekend: ({ date }, f) => `make-up working day ${f.date(date)} is not a Saturday or Sunday`,
  },

  importProblem: {
    unknown_value: ({ allowed }, f) => `not an allowed value (use ${f.list(allowed)})`,
    missing_field: ({ field }) => `the field ${field} is missing`,
    unknown_field: ({ field }) =>
      `the format has no field ${field} (nothing outside the format, such as genetic data, is imported)`,
    wrong_type: ({ expected }, f) => `wrong kind of value: expected ${f.valueKind(expected)}`,
    bad_date: () => 'not a real date written YYYY-MM-DD, e.g. 2026-01-31',
    bad_id: () => 'not a canonical id (a lower-case UUID with hyphens)',
    too_long: () => 'the value is too long',
    invalid: () => 'the value does not fit the format',
  },

  backup: {
    not_backup: () => 'it does not start like a Guitu backup',
    checksum: () => 'its checksum does not match: the file is truncated or damaged',
    truncated: () => 'it is truncated',
    header: () => 'its key header is damaged',
    database_open: () => 'the database inside does not open',
    integrity: () => 'the database inside fails its integrity check',
    trailing_data: () => 'it has data after the database',
    audit_empty: () => 'its audit trail is empty',
    audit_broken: ({ seq }) => `its audit trail is broken at entry ${seq}`,
  },

  bundle: {
    not_a_bundle: () => 'this is not a Guitu bundle',
    not_for_this_device: () => 'it was made for another device',
    damaged: () => 'the file was changed or cut off after it was made',
    unknown_sender: () => 'the sending device is not a peer: add its contact card first',
    removed_sender: () => 'the sending device was removed from the peers',
    forged: () => "its signature does not match the sender's key: forged or altered",
    newer_format: ({ version }) => `it was made by a newer Guitu (format ${version}): upgrade first`,
    own_bundle: () => 'this device made it',
    missing_base: () => 'a change in it builds on a person, case or record this vault does not hold',
    invalid: () => 'a change in it does not fit the record schema',
    case_number_taken: () => 'a case in it has a case number another case here already has',
    not_shared: () => 'a change in it concerns a case this vault never shared with the sender',
  },

  idNumber: {
    length: 'it must be 18 characters (or an old 15-digit number)',
    characters: 'it may hold only digits and a final X',
    birth_date: 'its birth-date part is not a real date',
    check_character: 'its check character is wrong',
  },

  thing: {
    case: 'case',
    person: 'person',
    record: 'record',
    case_number: 'case number',
    user: 'user',
    key_slot: 'key slot',
    approval: 'approval request',
    merge: 'merge',
    peer: 'peer device',
    conflict: 'conflict',
    id: 'id',
  },

  io: {
    not_found: 'it does not exist',
    permission_denied: 'permission denied',
    already_exists: 'it already exists',
    disk_full: 'the disk is full',
    read_only: 'read-only storage',
    is_a_directory: 'it is a folder',
    other: 'input/output error',
  },

  channel: { green: 'green channel', ordinary: 'ordinary procedure' },

  valueKind: {
    text: 'text',
    number: 'a number',
    bool: 'yes or no',
    list: 'a list',
    object: 'an object',
    date: 'a date',
    time: 'a date and time',
    other: 'another kind of value',
  },

  location: ({ list, index, id }) => {
    const name = LISTS[list] ?? list;
    return id ? `${name} ${index + 1} (${id})` : `${name} ${index + 1}`;
  },
};
