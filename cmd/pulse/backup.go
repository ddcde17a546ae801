package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/pulsehq/pulse/database"
)

// notBackedUp are the tables whose rows a backup leaves out. round_keys
// holds the key of each open round, which ties its responses to people
// until the round closes and the key is deleted; a backup that kept it
// would keep that tie for as long as the backup lives. Restored, such a
// round closes at its next answer, as after losing the key in a crash.
// action_reaction_keys does the same for the reactions to an open action
// plan; restored without it, the plan's reactions freeze as they stand.
var notBackedUp = []string{"round_keys", "action_reaction_keys"}

// secretSuffix names the copy of pulse.secret written beside a backup.
const secretSuffix = ".secret"

func parseBackup(args []string) (plan, error) {
	fs := newFlags()
	p := plan{usage: usageOf(fs, "backup FILE", "Writes a consistent copy of the serving SQLite database to FILE (mode 0600), and\n"+
		"its pulse.secret to FILE.secret unless PULSE_SECRET is set. Never overwrites a file.\n"+
		"For PostgreSQL use pg_dump (see README)."), existingDatabase: true}
	positional, err := parseArgs(fs, args, p.usage, 1)
	if err != nil {
		return p, err
	}
	if len(positional) == 0 || positional[0] == "" {
		return p, usageErrorf("backup: FILE is missing\n\n%s", p.usage)
	}
	dest := positional[0]
	p.run = func(ctx context.Context, cfg config, _ *slog.Logger, stdout io.Writer) error {
		return backup(ctx, cfg, dest, stdout)
	}
	return p, nil
}

// backup copies the database and, when Pulse keeps it in a file, the
// secret without which the copy's comment links cannot be opened. Either
// both are written or neither is. The secret is copied, never printed.
func backup(ctx context.Context, cfg config, dest string, stdout io.Writer) error {
	if cfg.Database.Dialect != database.SQLite {
		return errors.New("backup: PULSE_DATABASE_URL is PostgreSQL; back it up with pg_dump (see README, Backups)")
	}
	secretDest := dest + secretSuffix
	targets := []string{dest}
	if cfg.SecretFile != "" {
		targets = append(targets, secretDest)
	}
	for _, path := range targets {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("backup: %s %w", path, database.ErrBackupTargetExists)
		}
	}
	db, err := database.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, dest, notBackedUp...); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if cfg.SecretFile != "" {
		if err := copyPrivate(cfg.SecretFile, secretDest); err != nil {
			os.Remove(dest)
			return fmt.Errorf("backup: %w", err)
		}
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", cfg.Database.AbsPath(), dest)
	if cfg.SecretFile != "" {
		fmt.Fprintf(stdout, "copied its secret to %s: keep the two files together\n", secretDest)
	} else {
		fmt.Fprintln(stdout, "PULSE_SECRET is set in the environment and is not in the backup: keep it with the backup")
	}
	if cfg.NotesKey != "" {
		fmt.Fprintln(stdout, "PULSE_NOTES_KEY is not in the backup: keep it apart, one-on-one notes cannot be read without it")
	}
	return nil
}

// copyPrivate copies the file at from to a new file to, mode 0600.
func copyPrivate(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s %w", to, database.ErrBackupTargetExists)
	}
	if err != nil {
		return err
	}
	if err = f.Chmod(0o600); err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(to)
	}
	return err
}
