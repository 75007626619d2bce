-- Version 2: what the desktop case list filters and sorts on, without reading the case
-- rows' JSON. `flags` is a bit set (1 minor, 2 woman, 4 disabled, 8 foreign,
-- 16 cross-province); `institution` the receiving institution's name.
ALTER TABLE cases ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN institution TEXT NOT NULL DEFAULT '';
UPDATE cases SET
    institution = coalesce(json_extract(data, '$.institution'), ''),
    flags = (CASE WHEN json_extract(data, '$.flags.minor') THEN 1 ELSE 0 END)
          | (CASE WHEN json_extract(data, '$.flags.woman') THEN 2 ELSE 0 END)
          | (CASE WHEN json_extract(data, '$.flags.disabled') THEN 4 ELSE 0 END)
          | (CASE WHEN json_extract(data, '$.flags.foreign') THEN 8 ELSE 0 END)
          | (CASE WHEN json_extract(data, '$.flags.cross_province') THEN 16 ELSE 0 END);
-- One covering index per sort order of the list: a page of 100 rows, or the count under
-- a filter, reads only these, never the case rows.
CREATE INDEX cases_list_number ON cases(case_number, stage, flags, caseworker, institution, person_name, received_date, id3m_open, id);
CREATE INDEX cases_list_received ON cases(received_date, case_number, stage, flags, caseworker, institution, person_name, id3m_open, id);
CREATE INDEX cases_list_name ON cases(person_name, case_number, stage, flags, caseworker, institution, received_date, id3m_open, id);
CREATE INDEX cases_list_stage ON cases(stage, case_number, flags, caseworker, institution, person_name, received_date, id3m_open, id);
-- The list's filter choices: DISTINCT walks these small indexes in order.
CREATE INDEX cases_caseworker ON cases(caseworker);
CREATE INDEX cases_institution ON cases(institution);
