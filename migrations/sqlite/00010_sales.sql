-- +goose Up
-- Sales inputs imported from a CRM (PRODUCT.md section 6). Amounts are in
-- cents of the install's one currency. Deals, activities and leads are keyed
-- by the CRM's external id; quotas and spend by what they describe.
CREATE TABLE sales_deals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id   TEXT NOT NULL UNIQUE,
    owner_id      INTEGER NOT NULL REFERENCES employees (id),
    amount_cents  BIGINT NOT NULL CHECK (amount_cents >= 0),
    currency      TEXT NOT NULL DEFAULT '',
    stage         TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL CHECK (outcome IN ('won', 'lost', 'open')),
    created       DATETIME NOT NULL,
    closed        DATETIME,
    imported_at   DATETIME NOT NULL
);
CREATE INDEX sales_deals_owner_id_idx ON sales_deals (owner_id);

CREATE TABLE sales_activities (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id       TEXT NOT NULL UNIQUE,
    owner_id          INTEGER NOT NULL REFERENCES employees (id),
    kind              TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'follow_up')),
    occurred_at       DATETIME NOT NULL,
    deal_external_id  TEXT NOT NULL DEFAULT '',
    imported_at       DATETIME NOT NULL
);
CREATE INDEX sales_activities_owner_id_idx ON sales_activities (owner_id);

CREATE TABLE sales_leads (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id     TEXT NOT NULL UNIQUE,
    owner_id        INTEGER REFERENCES employees (id),
    created         DATETIME NOT NULL,
    first_response  DATETIME,
    converted       BOOLEAN NOT NULL DEFAULT 0,
    imported_at     DATETIME NOT NULL
);
CREATE INDEX sales_leads_owner_id_idx ON sales_leads (owner_id);

CREATE TABLE sales_quotas (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id      INTEGER NOT NULL REFERENCES employees (id),
    period_kind   TEXT NOT NULL CHECK (period_kind IN ('month', 'quarter')),
    period_start  DATETIME NOT NULL,
    amount_cents  BIGINT NOT NULL CHECK (amount_cents >= 0),
    imported_at   DATETIME NOT NULL,
    UNIQUE (owner_id, period_kind, period_start)
);

CREATE TABLE sales_spend (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    period_kind           TEXT NOT NULL CHECK (period_kind IN ('month', 'quarter')),
    period_start          DATETIME NOT NULL,
    sales_cost_cents      BIGINT NOT NULL CHECK (sales_cost_cents >= 0),
    marketing_cost_cents  BIGINT NOT NULL CHECK (marketing_cost_cents >= 0),
    imported_at           DATETIME NOT NULL,
    UNIQUE (period_kind, period_start)
);

-- +goose Down
DROP TABLE sales_spend;
DROP TABLE sales_quotas;
DROP TABLE sales_leads;
DROP TABLE sales_activities;
DROP TABLE sales_deals;
