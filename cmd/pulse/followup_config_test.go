package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestConfigReadsTheOneOnOneFollowUpDelay(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "pulse.db")
	for raw, want := range map[string]time.Duration{"": 2 * time.Hour, "90m": 90 * time.Minute, "0": 0, "off": 0} {
		cfg, err := loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": dbPath, "PULSE_ONE_ON_ONE_FOLLOW_UP": raw}))
		require.NoError(t, err, raw)
		require.Equal(t, want, cfg.FollowUpAfter, raw)
	}
	for _, raw := range []string{"soon", "-1h", "200h"} {
		_, err := loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": dbPath, "PULSE_ONE_ON_ONE_FOLLOW_UP": raw}))
		require.ErrorContains(t, err, "PULSE_ONE_ON_ONE_FOLLOW_UP:", raw)
	}
}
