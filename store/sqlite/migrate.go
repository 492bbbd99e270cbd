package sqlite

import (
	"context"
	"embed"
	"fmt"

	"github.com/wirewatch/wirewatch/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies the migrations the file lacks, all in one transaction:
// a failing migration leaves the schema as it was. The transaction takes
// the write lock first, so two processes opening a new file at once do not
// both apply them.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := store.LoadMigrations(migrations)
	if err != nil {
		return err
	}
	return db.write1(ctx, func(r *runner) error {
		tx := r.tx
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT    NOT NULL,
			applied_at INTEGER NOT NULL
		)`); err != nil {
			return fmt.Errorf("creating schema_migrations: %w", err)
		}
		applied := map[int]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return fmt.Errorf("reading schema_migrations: %w", err)
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return fmt.Errorf("reading schema_migrations: %w", err)
			}
			applied[v] = true
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("reading schema_migrations: %w", err)
		}
		for _, m := range ms {
			if applied[m.Version] {
				continue
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, micros(db.now())); err != nil {
				return fmt.Errorf("recording migration %s: %w", m.Name, err)
			}
		}
		return nil
	})
}
