package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
)

// demoTeam describes a team of the demo company and who works in it.
type demoTeam struct {
	name   string
	parent string
	lead   string // "First Last"
	// leadAbove seats the lead in the parent team: the head of Sales sits
	// with Leadership, so Sales is exactly its two sub-teams and its own
	// figure never differs from theirs by a handful of people.
	leadAbove bool
	size      int // members besides the lead
	zones     []string
	malaysia  bool // members in Kuala Lumpur speak Malay in Slack
}

var demoTeams = []demoTeam{
	{name: "Leadership", lead: "Olivia Bennett", size: 3, zones: []string{"America/New_York"}},
	{name: "People", parent: "Leadership", lead: "Hana Rahman", size: 3, zones: []string{"Asia/Kuala_Lumpur", "Europe/London"}, malaysia: true},
	{name: "Engineering", parent: "Leadership", lead: "Lukas Weber", size: 9, zones: []string{"Europe/Berlin", "Asia/Kolkata"}},
	{name: "Platform", parent: "Engineering", lead: "Priya Nair", size: 6, zones: []string{"Asia/Kolkata", "Europe/Berlin"}},
	{name: "Sales", parent: "Leadership", lead: "Marcus Reed", leadAbove: true, zones: []string{"America/New_York"}},
	{name: "Sales Americas", parent: "Sales", lead: "Jessica Alvarez", size: 10, zones: []string{"America/New_York", "America/Chicago", "America/Los_Angeles"}},
	{name: "Sales APAC", parent: "Sales", lead: "Aiman Hakim", size: 9, zones: []string{"Asia/Kuala_Lumpur", "Asia/Singapore", "Australia/Sydney", "Asia/Tokyo"}, malaysia: true},
	{name: "Customer Success", parent: "Leadership", lead: "Sofia Marino", size: 7, zones: []string{"Europe/London", "America/Chicago"}},
	{name: "Marketing", parent: "Leadership", lead: "Chloe Dubois", size: 5, zones: []string{"Europe/Paris", "America/Los_Angeles"}},
}

var (
	firstNames = []string{"Amelia", "Noah", "Wei", "Farah", "Diego", "Yuki", "Ethan", "Aisha", "Mateo", "Grace",
		"Ravi", "Nurul", "Liam", "Mei", "Omar", "Isla", "Kenji", "Zara", "Lucas", "Anika", "Hafiz", "Emma",
		"Tariq", "Chen", "Sara", "Jonas", "Leila", "Arjun", "Nadia", "Felix", "Siti", "Oscar", "Ingrid",
		"Daniel", "Mira", "Tom", "Aditi", "Ben", "Lina", "Sam", "Ava", "Musa", "Elena", "Kai", "Ruth", "Ali"}
	lastNames = []string{"Tan", "Schmidt", "Okafor", "Ibrahim", "Silva", "Sato", "Clarke", "Rahim", "Lopez",
		"Kim", "Iyer", "Aziz", "Murphy", "Lim", "Haddad", "Fraser", "Mori", "Khan", "Costa", "Menon", "Ismail",
		"Novak", "Farouk", "Wong", "Berg", "Yusof", "Gupta", "Hassan", "Keller", "Osman", "Park"}
)

var directoryStep = Step{Name: "directory", Load: loadDirectory}

// loadDirectory creates the demo company: about 60 people in nine teams
// (two sales teams nested under Sales), time zones on four continents.
func loadDirectory(ctx context.Context, tx *gorm.DB, now time.Time) error {
	dir := directory.New(tx, func() time.Time { return now })
	teamIDs := map[string]int64{}
	leadIDs := map[string]int64{}
	hr, err := dir.CreateEmployee(ctx, directory.EmployeeInput{
		Email: HRAdminEmail, Name: "Hana Rahman", Role: directory.RoleHRAdmin,
		Timezone: "Asia/Kuala_Lumpur", Locale: "en",
	})
	if err != nil {
		return err
	}
	person := 0
	for _, dt := range demoTeams {
		in := directory.TeamInput{Name: dt.name}
		if dt.parent != "" {
			parent := teamIDs[dt.parent]
			in.ParentID = &parent
		}
		team, err := dir.CreateTeam(ctx, in)
		if err != nil {
			return fmt.Errorf("team %s: %w", dt.name, err)
		}
		teamIDs[dt.name] = team.ID
		lead, err := demoLead(ctx, dir, dt, teamIDs, hr, leadIDs)
		if err != nil {
			return err
		}
		leadIDs[dt.name] = lead.ID
		if _, err := dir.UpdateTeam(ctx, team.ID, directory.TeamPatch{ManagerID: &lead.ID}); err != nil {
			return err
		}
		for i := 0; i < dt.size; i++ {
			if err := demoMember(ctx, dir, dt, team.ID, lead.ID, person, i); err != nil {
				return err
			}
			person++
		}
	}
	return nil
}

func demoLead(ctx context.Context, dir *directory.Directory, dt demoTeam, teams map[string]int64,
	hr directory.Employee, leads map[string]int64) (directory.Employee, error) {
	teamID := teams[dt.name]
	if dt.lead == hr.Name {
		role := directory.RoleHRAdmin
		return dir.UpdateEmployee(ctx, hr.ID, directory.EmployeePatch{TeamID: &teamID, Role: &role, ManagerID: ptr(leads["Leadership"])})
	}
	seat := teamID
	if dt.leadAbove {
		seat = teams[dt.parent]
	}
	in := directory.EmployeeInput{
		Email: emailOf(dt.lead), Name: dt.lead, TeamID: &seat, Role: directory.RoleManager,
		Timezone: dt.zones[0], Locale: "en",
	}
	if boss, ok := leads[dt.parent]; ok {
		in.ManagerID = &boss
	}
	return dir.CreateEmployee(ctx, in)
}

func demoMember(ctx context.Context, dir *directory.Directory, dt demoTeam, teamID, leadID int64, person, i int) error {
	name := firstNames[person%len(firstNames)] + " " + lastNames[(person*7)%len(lastNames)]
	zone := dt.zones[i%len(dt.zones)]
	locale := "en"
	if dt.malaysia && zone == "Asia/Kuala_Lumpur" {
		locale = "ms"
	}
	_, err := dir.CreateEmployee(ctx, directory.EmployeeInput{
		Email: emailOf(name), Name: name, TeamID: &teamID, ManagerID: &leadID,
		Role: directory.RoleEmployee, Timezone: zone, Locale: locale,
	})
	if err != nil {
		return fmt.Errorf("employee %s: %w", name, err)
	}
	return nil
}

func emailOf(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@demo.example"
}

func ptr[T any](v T) *T { return &v }
