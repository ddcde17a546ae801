-- +goose Up
-- Sales KPIs are sums per owner and period, read for the reps and periods a
-- report asks: each index leads with the owner, then the time the sums are
-- cut by, then what the sums need, so a team's figures come from the index
-- without visiting a team's deals scattered over the table. A company-wide
-- report uses the time alone. An owner-only index is then redundant.
-- Follow-ups are looked up by the deal they follow.
DROP INDEX sales_deals_owner_id_idx;
CREATE INDEX sales_deals_owner_closed_idx ON sales_deals (owner_id, closed, outcome, amount_cents, created);
CREATE INDEX sales_deals_owner_created_idx ON sales_deals (owner_id, created, closed, external_id);
CREATE INDEX sales_deals_closed_idx ON sales_deals (closed);
CREATE INDEX sales_deals_created_idx ON sales_deals (created);

DROP INDEX sales_activities_owner_id_idx;
CREATE INDEX sales_activities_owner_occurred_idx ON sales_activities (owner_id, occurred_at, kind);
CREATE INDEX sales_activities_occurred_idx ON sales_activities (occurred_at, kind, owner_id);
CREATE INDEX sales_activities_follow_up_idx ON sales_activities (deal_external_id) WHERE kind = 'follow_up';

DROP INDEX sales_leads_owner_id_idx;
CREATE INDEX sales_leads_owner_created_idx ON sales_leads (owner_id, created);
CREATE INDEX sales_leads_created_idx ON sales_leads (created);

-- +goose Down
DROP INDEX sales_leads_created_idx;
DROP INDEX sales_leads_owner_created_idx;
CREATE INDEX sales_leads_owner_id_idx ON sales_leads (owner_id);

DROP INDEX sales_activities_follow_up_idx;
DROP INDEX sales_activities_occurred_idx;
DROP INDEX sales_activities_owner_occurred_idx;
CREATE INDEX sales_activities_owner_id_idx ON sales_activities (owner_id);

DROP INDEX sales_deals_created_idx;
DROP INDEX sales_deals_closed_idx;
DROP INDEX sales_deals_owner_created_idx;
DROP INDEX sales_deals_owner_closed_idx;
CREATE INDEX sales_deals_owner_id_idx ON sales_deals (owner_id);
