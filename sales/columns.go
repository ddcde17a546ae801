package sales

// The columns of each import, with the header names of common CRM exports
// (Salesforce, HubSpot, Pipedrive) besides Pulse's own snake_case names.
var (
	DealColumns = []column{
		{"external_id", []string{"id", "opportunity id", "deal id", "record id"}, true},
		{"owner_email", []string{"owner", "opportunity owner", "deal owner", "owner email",
			"opportunity owner email", "deal owner email"}, true},
		{"amount", []string{"deal amount", "opportunity amount", "value", "deal value"}, true},
		{"currency", []string{"opportunity currency", "deal currency", "currency iso code", "currency code"}, false},
		{"stage", []string{"deal stage", "opportunity stage", "stage name"}, false},
		{"created_at", []string{"created", "created date", "create date", "date created", "deal created"}, true},
		{"closed_at", []string{"close date", "closed date", "date closed", "won time", "lost time"}, false},
		{"outcome", []string{"status", "result"}, false},
		{"won", []string{"is won"}, false},
		{"is_closed", []string{"closed", "is closed"}, false},
	}
	ActivityColumns = []column{
		{"external_id", []string{"id", "activity id", "task id", "event id", "engagement id", "record id"}, true},
		{"owner_email", []string{"owner", "assigned to", "activity owner", "owner email", "assigned to email",
			"activity assigned to"}, true},
		{"kind", []string{"type", "activity type", "task subtype", "engagement type", "task type", "event type"}, true},
		{"occurred_at", []string{"time", "date", "activity date", "timestamp", "due date", "start date", "done time"}, true},
		{"deal_external_id", []string{"deal", "deal id", "opportunity id", "related to id", "what id",
			"associated deal", "associated deal id"}, false},
	}
	LeadColumns = []column{
		{"external_id", []string{"id", "lead id", "contact id", "record id"}, true},
		{"owner_email", []string{"owner", "lead owner", "contact owner", "owner email", "lead owner email",
			"contact owner email"}, false},
		{"created_at", []string{"created", "created date", "create date", "date created"}, true},
		{"first_response_at", []string{"first response", "first response date", "first contacted",
			"first outreach date", "first touch", "responded at"}, false},
		{"converted", []string{"is converted", "converted date", "converted to deal", "became a customer date"}, false},
	}
	QuotaColumns = []column{
		{"owner_email", []string{"owner", "user", "rep", "sales rep", "quota owner", "owner email"}, true},
		{"period", []string{"quota period", "month", "quarter"}, true},
		{"amount", []string{"quota", "quota amount", "target", "target amount"}, true},
	}
	SpendColumns = []column{
		{"period", []string{"month", "quarter"}, true},
		{"sales_cost", []string{"sales cost", "sales spend", "sales expenses"}, true},
		{"marketing_cost", []string{"marketing cost", "marketing spend", "marketing expenses"}, true},
	}
)
