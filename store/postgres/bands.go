package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// PutBands records the LSH band hashes of document docID. Recording a hash
// the document already has is a no-op.
func (db *DB) PutBands(ctx context.Context, docID string, bands []uint64) error {
	if len(bands) == 0 {
		return nil
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO lsh_bands (band, doc_id) SELECT unnest($1::bigint[]), $2
		ON CONFLICT DO NOTHING`, signed(bands), docID)
	if err != nil {
		return fmt.Errorf("postgres: put bands %s: %w", docID, err)
	}
	return nil
}

// signed returns the band hashes as the int64 bit patterns stored.
func signed(bands []uint64) []int64 {
	out := make([]int64, len(bands))
	for i, b := range bands {
		out[i] = int64(b)
	}
	return out
}

// BandCandidates returns, sorted, the IDs of the documents other than
// exclude that share at least one band hash with bands.
func (db *DB) BandCandidates(ctx context.Context, bands []uint64, exclude string) ([]string, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT doc_id FROM lsh_bands
		WHERE band = ANY($1) AND doc_id <> $2 ORDER BY doc_id`, signed(bands), exclude)
	if err != nil {
		return nil, fmt.Errorf("postgres: band candidates: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: band candidates: %w", err)
	}
	return ids, nil
}

// SetCopyOf records that document id is a near-copy of original,
// replacing an earlier record.
func (db *DB) SetCopyOf(ctx context.Context, id, original string) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO copy_of (doc_id, original) VALUES ($1, $2)
		ON CONFLICT (doc_id) DO UPDATE SET original = excluded.original`, id, original)
	if err != nil {
		return fmt.Errorf("postgres: set copy of %s: %w", id, err)
	}
	return nil
}

// CopyOf returns the original of document id, or "" when it is no copy.
func (db *DB) CopyOf(ctx context.Context, id string) (string, error) {
	var orig string
	err := db.pool.QueryRow(ctx, `SELECT original FROM copy_of WHERE doc_id = $1`, id).Scan(&orig)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("postgres: copy of %s: %w", id, err)
	}
	return orig, nil
}
