-- +goose Up
-- What each import changed, kept with its record so HR can see what was
-- imported when: rows created and rows updated, written when it is done.
-- An undone import keeps zeros: nothing of it remains.
ALTER TABLE employee_imports ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE employee_imports ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales_imports ADD COLUMN created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales_imports ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sales_imports DROP COLUMN updated;
ALTER TABLE sales_imports DROP COLUMN created;
ALTER TABLE employee_imports DROP COLUMN updated;
ALTER TABLE employee_imports DROP COLUMN created;
