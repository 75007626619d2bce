-- Version 7: voiding (作废, R-DATE, issue 12). A record or a case entered by mistake is
-- marked void with who, when and why; nothing is deleted. A voided record is left out of
-- its case's derived facts and search document (crates/store/src/void.rs); a voided case
-- leaves every list, count and deadline query: the indexes those queries walk become
-- partial (voided_at IS NULL), so they still read the index only.
ALTER TABLE records ADD COLUMN voided_at TEXT;
ALTER TABLE records ADD COLUMN voided_by TEXT;
ALTER TABLE records ADD COLUMN void_reason TEXT;
ALTER TABLE cases ADD COLUMN voided_at TEXT;
ALTER TABLE cases ADD COLUMN voided_by TEXT;
ALTER TABLE cases ADD COLUMN void_reason TEXT;
DROP INDEX cases_id3m;
CREATE INDEX cases_id3m ON cases(received_date, id, case_number, institution_kind, identity_verified, person_name, intake_number)
    WHERE id3m_open = 1 AND stage <> 'closed' AND institution_kind <> 'other' AND voided_at IS NULL;
DROP INDEX cases_list_number;
DROP INDEX cases_list_received;
DROP INDEX cases_list_name;
DROP INDEX cases_list_stage;
CREATE INDEX cases_list_number ON cases(case_number, stage, flags, caseworker, institution, person_name, intake_number, received_date, id3m_open, id)
    WHERE voided_at IS NULL;
CREATE INDEX cases_list_received ON cases(received_date, case_number, stage, flags, caseworker, institution, person_name, intake_number, id3m_open, id)
    WHERE voided_at IS NULL;
CREATE INDEX cases_list_name ON cases(name_key, case_number, stage, flags, caseworker, institution, person_name, intake_number, received_date, id3m_open, id)
    WHERE voided_at IS NULL;
CREATE INDEX cases_list_stage ON cases(stage, case_number, flags, caseworker, institution, person_name, intake_number, received_date, id3m_open, id)
    WHERE voided_at IS NULL;
-- The few voided cases, for the supervisor's list to restore from.
CREATE INDEX cases_voided ON cases(voided_at) WHERE voided_at IS NOT NULL;
