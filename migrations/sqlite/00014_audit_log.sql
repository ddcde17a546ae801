-- +goose Up
-- Who changed a person's email or Slack binding, and when. Rows are only
-- ever added: triggers refuse UPDATE and DELETE (SQLite has no TRUNCATE;
-- its DELETE without WHERE fires the trigger too).
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           DATETIME NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    employee_id  INTEGER NOT NULL REFERENCES employees (id),
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_employee_id_idx ON audit_log (employee_id);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_log;
