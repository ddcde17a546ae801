package batchimport

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/page"
)

// Record is one import as its history lists it. Created and Updated are
// zero until it is done, and stay zero when it was undone.
type Record struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	StartedAt time.Time `json:"started_at"`
	// FinishedAt is when it was done or undone; null while applying.
	FinishedAt *time.Time `json:"finished_at"`
	Created    int        `json:"created"`
	Updated    int        `json:"updated"`
}

type historyRow struct {
	ID        int64
	Kind      string
	Status    string
	StartedAt time.Time
	UpdatedAt time.Time
	Created   int
	Updated   int
}

// History lists the imports recorded in runs, newest first. kinds says the
// table has a kind column; kind, when not empty, keeps only that kind.
// kindName names the kind of a table without that column.
func History(ctx context.Context, db *gorm.DB, runs string, kinds bool, kind, kindName string, p page.Request) ([]Record, string, error) {
	cols := "id, status, started_at, updated_at, created, updated"
	q := db.WithContext(ctx).Table(runs)
	if kinds {
		cols += ", kind"
		if kind != "" {
			q = q.Where("kind = ?", kind)
		}
	}
	q, err := page.Query(q.Select(cols), p, page.Order{Desc: true})
	if err != nil {
		return nil, "", err
	}
	var rows []historyRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, next := page.Cut(rows, p, func(r historyRow) (any, int64) { return nil, r.ID })
	out := make([]Record, len(rows))
	for i, r := range rows {
		out[i] = Record{ID: r.ID, Kind: r.Kind, Status: r.Status, StartedAt: r.StartedAt.UTC(), Created: r.Created, Updated: r.Updated}
		if out[i].Kind == "" {
			out[i].Kind = kindName
		}
		if r.Status != Applying {
			at := r.UpdatedAt.UTC()
			out[i].FinishedAt = &at
		}
	}
	return out, next, nil
}
