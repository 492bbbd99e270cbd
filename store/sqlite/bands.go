package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// bandChunk bounds the band hashes bound in one statement.
const bandChunk = 400

// PutBands records the LSH band hashes of document docID. Recording a hash
// the document already has is a no-op.
func (db *DB) PutBands(ctx context.Context, docID string, bands []uint64) error {
	if len(bands) == 0 {
		return nil
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for chunk := range slices.Chunk(bands, bandChunk) {
			args := make([]any, 0, 2*len(chunk))
			for _, b := range chunk {
				args = append(args, int64(b), docID)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO lsh_bands (band, doc_id) VALUES `+
				strings.Repeat("(?, ?), ", len(chunk)-1)+`(?, ?) ON CONFLICT DO NOTHING`, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: put bands %s: %w", docID, err)
	}
	return nil
}

// BandCandidates returns, sorted, the IDs of the documents other than
// exclude that share at least one band hash with bands.
func (db *DB) BandCandidates(ctx context.Context, bands []uint64, exclude string) ([]string, error) {
	var out []string
	for chunk := range slices.Chunk(bands, bandChunk) {
		args := make([]any, 0, len(chunk)+1)
		for _, b := range chunk {
			args = append(args, int64(b))
		}
		args = append(args, exclude)
		rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT doc_id FROM lsh_bands
			WHERE band IN (`+placeholders(len(chunk))+`) AND doc_id <> ?`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: band candidates: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: band candidates: %w", err)
			}
			out = append(out, id)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sqlite: band candidates: %w", err)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// SetCopyOf records that document id is a near-copy of original,
// replacing an earlier record.
func (db *DB) SetCopyOf(ctx context.Context, id, original string) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO copy_of (doc_id, original) VALUES (?, ?)
		ON CONFLICT (doc_id) DO UPDATE SET original = excluded.original`, id, original)
	if err != nil {
		return fmt.Errorf("sqlite: set copy of %s: %w", id, err)
	}
	return nil
}

// CopyOf returns the original of document id, or "" when it is no copy.
func (db *DB) CopyOf(ctx context.Context, id string) (string, error) {
	var orig string
	err := db.read.QueryRowContext(ctx, `SELECT original FROM copy_of WHERE doc_id = ?`, id).Scan(&orig)
	if err != nil && err != sql.ErrNoRows {
		return "", fmt.Errorf("sqlite: copy of %s: %w", id, err)
	}
	return orig, nil
}
