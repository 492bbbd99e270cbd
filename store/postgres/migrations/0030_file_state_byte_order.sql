-- File records are read in the byte order of their paths, whatever the
-- database's collation: a scan compares the files of a folder with the
-- records as they arrive, which needs the order the bot itself sorts in.
ALTER TABLE file_state ALTER COLUMN path TYPE text COLLATE "C";
