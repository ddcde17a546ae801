-- +goose Up
-- An employee import is written in short batches so that it never holds
-- the database for long. Each import is recorded while it is applied, with
-- what each batch changed, so that a failure part-way (or a crash) is undone
-- and the import stays all-or-nothing. The undo rows go once it is done.
CREATE TABLE employee_imports (
    id          BIGSERIAL PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN ('applying', 'done', 'undone')),
    started_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
-- One import is applied at a time.
CREATE UNIQUE INDEX employee_imports_one_applying ON employee_imports (status) WHERE status = 'applying';
CREATE TABLE employee_import_undo (
    id         BIGSERIAL PRIMARY KEY,
    import_id  BIGINT NOT NULL REFERENCES employee_imports (id),
    kind       TEXT NOT NULL CHECK (kind IN ('team_created', 'employee_created', 'employee_updated')),
    row_id     BIGINT NOT NULL,
    before     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX employee_import_undo_import_idx ON employee_import_undo (import_id, id);

-- +goose Down
DROP TABLE employee_import_undo;
DROP TABLE employee_imports;
