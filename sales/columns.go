package sales

// The columns of each import, with the header names of common CRM exports
// (Salesforce, HubSpot, Pipedrive) besides Pulse's own snake_case names.
// Fallbacks give a field only when no main header does: a Salesforce
// report with both "Opportunity Owner" (a name) and "Opportunity Owner
// Email" is read by the email, and Pipedrive's "Won time" and "Lost time"
// stand in for a close date together, each row taking the one it fills.
var (
	DealColumns = []column{
		{field: "external_id", synonyms: []string{"id", "opportunity id", "deal id", "record id"}, required: true},
		{field: "owner_email", synonyms: []string{"owner email", "opportunity owner email", "deal owner email"},
			fallbacks: []string{"owner", "opportunity owner", "deal owner"}, required: true},
		{field: "amount", synonyms: []string{"deal amount", "opportunity amount", "value", "deal value"}, required: true},
		{field: "currency", synonyms: []string{"opportunity currency", "deal currency", "currency iso code", "currency code",
			"amount currency", "currency of value"}},
		{field: "stage", synonyms: []string{"deal stage", "opportunity stage", "stage name"}},
		{field: "created_at", synonyms: []string{"created", "created date", "create date", "date created", "deal created"}, required: true},
		{field: "closed_at", synonyms: []string{"close date", "closed date", "date closed", "deal closed on", "closed on", "close time"},
			fallbacks: []string{"won time", "lost time"}},
		{field: "outcome", synonyms: []string{"status", "result"}},
		{field: "won", synonyms: []string{"is won", "is closed won"}},
		{field: "is_closed", synonyms: []string{"closed", "is closed"}},
	}
	ActivityColumns = []column{
		{field: "external_id", synonyms: []string{"id", "activity id", "task id", "event id", "engagement id", "record id"}, required: true},
		{field: "owner_email", synonyms: []string{"owner email", "assigned to email", "activity owner email"},
			fallbacks: []string{"owner", "assigned to", "activity owner", "activity assigned to", "assigned to user"}, required: true},
		{field: "kind", synonyms: []string{"type", "activity type", "task subtype", "engagement type", "task type", "event type"}, required: true},
		{field: "occurred_at", synonyms: []string{"time", "date", "activity date", "timestamp", "due date", "start date", "done time"}, required: true},
		{field: "deal_external_id", synonyms: []string{"deal", "deal id", "opportunity id", "related to id", "what id",
			"associated deal", "associated deal id"}},
	}
	LeadColumns = []column{
		{field: "external_id", synonyms: []string{"id", "lead id", "contact id", "record id"}, required: true},
		{field: "owner_email", synonyms: []string{"owner email", "lead owner email", "contact owner email"},
			fallbacks: []string{"owner", "lead owner", "contact owner"}},
		{field: "created_at", synonyms: []string{"created", "created date", "create date", "date created"}, required: true},
		{field: "first_response_at", synonyms: []string{"first response", "first response date", "first contacted",
			"first outreach date", "first touch", "responded at"}},
		{field: "converted", synonyms: []string{"is converted", "converted date", "converted to deal", "became a customer date"}},
	}
	QuotaColumns = []column{
		{field: "owner_email", synonyms: []string{"owner email"},
			fallbacks: []string{"owner", "user", "rep", "sales rep", "quota owner"}, required: true},
		{field: "period", synonyms: []string{"quota period", "month", "quarter"}, required: true},
		{field: "amount", synonyms: []string{"quota", "quota amount", "target", "target amount"}, required: true},
	}
	SpendColumns = []column{
		{field: "period", synonyms: []string{"month", "quarter"}, required: true},
		{field: "sales_cost", synonyms: []string{"sales cost", "sales spend", "sales expenses"}, required: true},
		{field: "marketing_cost", synonyms: []string{"marketing cost", "marketing spend", "marketing expenses"}, required: true},
	}
)

// entityPrefixes are the record names Pipedrive puts before each header of
// an export ("Deal - Value"); a header that matches nothing as it stands is
// tried without its own import's prefix, never another record's, so an
// "Organization - Owner" is not taken for the deal's owner.
var entityPrefixes = map[string]string{"deals": "deal", "activities": "activity", "leads": "lead"}
