package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// readyz asks a server with only what /readyz needs.
func readyz(t *testing.T, deps api.Deps) (int, apiError) {
	t.Helper()
	deps.Logger = slog.New(slog.NewTextHandler(testLog{t}, nil))
	deps.Metrics = prometheus.NewRegistry()
	rec := httptest.NewRecorder()
	api.New(deps).ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	var e apiError
	if rec.Code != 200 {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
	} else {
		require.JSONEq(t, `{"data":{"status":"ok"}}`, rec.Body.String())
	}
	return rec.Code, e
}

func TestReadyzSaysWhatFailsInTheErrorEnvelope(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		status, _ := readyz(t, api.Deps{DB: db})
		require.Equal(t, 200, status)

		failing := api.ReadyCheck{Name: "queue", Check: func(context.Context) error { return errors.New("the queue is stuck") }}
		status, e := readyz(t, api.Deps{DB: db, ReadyChecks: []api.ReadyCheck{failing}})
		require.Equal(t, 503, status)
		require.Equal(t, "unavailable", e.Error.Code)
		require.Contains(t, e.Error.Message, "not ready")
		require.Len(t, e.Error.Details, 1)
		require.Equal(t, "queue", e.Error.Details[0].Field)
		require.Equal(t, "the queue is stuck", e.Error.Details[0].Reason)
	})
}

// A database that answers reads but refuses writes takes no answers: the
// load balancer must send traffic elsewhere.
func TestReadyzFailsWhileTheDatabaseCannotWrite(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		db := dbtest.SQLite(t)
		// The only connection refuses writes, as a read-only file or mount does.
		_, err := db.SQL.ExecContext(t.Context(), "PRAGMA query_only = ON")
		require.NoError(t, err)
		status, e := readyz(t, api.Deps{DB: db})
		require.Equal(t, 503, status)
		require.Equal(t, "write", e.Error.Details[0].Field)
		require.Equal(t, "the database refuses writes", e.Error.Details[0].Reason, "no SQL error text on a public route")
	})
	t.Run("postgres", func(t *testing.T) {
		db := dbtest.Postgres(t)
		var schema string
		require.NoError(t, db.SQL.QueryRow("SELECT current_schema()").Scan(&schema))
		loc, err := database.ParseURL(dbtest.SchemaURL(t, schema) + "&default_transaction_read_only=on")
		require.NoError(t, err)
		readOnly, err := database.Open(t.Context(), loc)
		require.NoError(t, err)
		defer readOnly.Close()
		status, e := readyz(t, api.Deps{DB: readOnly})
		require.Equal(t, 503, status)
		require.Equal(t, "write", e.Error.Details[0].Field)
	})
}

func TestReadyzFailsWhenTheSQLiteDiskIsNearlyFull(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	free, ok := database.FreeSpace(db.Path)
	if !ok {
		t.Skip("free space cannot be read on this system")
	}
	status, _ := readyz(t, api.Deps{DB: db, MinFreeDisk: free / 2})
	require.Equal(t, 200, status)
	status, e := readyz(t, api.Deps{DB: db, MinFreeDisk: free * 2})
	require.Equal(t, 503, status)
	require.Equal(t, "disk", e.Error.Details[0].Field)
	require.Contains(t, e.Error.Details[0].Reason, "free beside the database")
}
