-- Version 5: approval requests (issue 10): closing a case, a placement decision and the
-- R-ID-3M district approval, requested by a caseworker and decided by a supervisor who is
-- not the requester (guitu_domain::approval). The request as JSON, with the columns the
-- dashboard and the case view query by. Requests are never deleted.
CREATE TABLE approvals (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    pending      INTEGER NOT NULL,
    requested_by TEXT NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX approvals_case ON approvals(case_id, seq);
CREATE INDEX approvals_pending ON approvals(pending, seq);
CREATE INDEX approvals_requester ON approvals(requested_by, seq);
