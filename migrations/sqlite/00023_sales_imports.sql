-- +goose Up
-- A CRM import (deals, activities, leads, quotas, spend) is written in
-- short batches so that it never holds the database for long, as employee
-- imports are. Each import is recorded while it is applied, with what each
-- batch created or overwrote, so that a failure part-way (or a crash) is
-- undone and the import stays all-or-nothing. The undo rows go once it is
-- done.
CREATE TABLE sales_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('deals', 'activities', 'leads', 'quotas', 'spend')),
    status      TEXT NOT NULL CHECK (status IN ('applying', 'done', 'undone')),
    started_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
-- One import of each kind is applied at a time.
CREATE UNIQUE INDEX sales_imports_one_applying ON sales_imports (kind) WHERE status = 'applying';
CREATE TABLE sales_import_undo (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id  INTEGER NOT NULL REFERENCES sales_imports (id),
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'updated')),
    row_id     INTEGER NOT NULL,
    before     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sales_import_undo_import_idx ON sales_import_undo (import_id, kind, id);

-- +goose Down
DROP TABLE sales_import_undo;
DROP TABLE sales_imports;
