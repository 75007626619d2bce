-- Version 3: the lists keep the person's name as recorded and the intake number beside
-- it (display text such as 身份不明（…） is made by the front ends, in the reader's
-- language), and a pinyin sort key (李 < 王 < 张) that the name order walks. The sort key
-- is filled by the migration's Rust step (names::sort_key), in the same transaction.
ALTER TABLE cases ADD COLUMN intake_number TEXT;
ALTER TABLE cases ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE cases SET
    person_name = coalesce((SELECT json_extract(p.data, '$.name') FROM persons p WHERE p.id = cases.person_id), ''),
    intake_number = (SELECT json_extract(p.data, '$.intake_number') FROM persons p WHERE p.id = cases.person_id);
DROP INDEX cases_id3m;
CREATE INDEX cases_id3m ON cases(received_date, id, case_number, institution_kind, identity_verified, person_name, intake_number)
    WHERE id3m_open = 1 AND stage <> 'closed' AND institution_kind <> 'other';
DROP INDEX cases_list_number;
DROP INDEX cases_list_received;
DROP INDEX cases_list_name;
DROP INDEX cases_list_stage;
CREATE INDEX cases_list_number ON cases(case_number, stage, flags, caseworker, institution, person_name, intake_number, received_date, id3m_open, id);
CREATE INDEX cases_list_received ON cases(received_date, case_number, stage, flags, caseworker, institution, person_name, intake_number, id3m_open, id);
CREATE INDEX cases_list_name ON cases(name_key, case_number, stage, flags, caseworker, institution, person_name, intake_number, received_date, id3m_open, id);
CREATE INDEX cases_list_stage ON cases(stage, case_number, flags, caseworker, institution, person_name, intake_number, received_date, id3m_open, id);
