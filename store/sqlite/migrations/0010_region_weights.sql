-- How central each place is to its document (rules' weights), the weights
-- of its admin1 region and country, and the country's name, so alerts,
-- /why and scan --json order and name regions without the gazetteer.
ALTER TABLE doc_regions ADD COLUMN country_name TEXT NOT NULL DEFAULT '';
ALTER TABLE doc_regions ADD COLUMN weight REAL NOT NULL DEFAULT 0;
ALTER TABLE doc_regions ADD COLUMN admin1_weight REAL NOT NULL DEFAULT 0;
ALTER TABLE doc_regions ADD COLUMN country_weight REAL NOT NULL DEFAULT 0;
