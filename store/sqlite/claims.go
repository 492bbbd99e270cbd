package sqlite

// Every open handle holds a lock on one byte of the file ClaimsFile beside
// the database, at the offset of its instance id (the id its claims of
// outbox rows carry in claimed_by). The kernel drops the lock when the
// handle closes or its process ends, however it ends, so ResetInflight of
// any handle, in any process, tells a row claimed by a live handle (left
// alone: it is being sent) from one claimed by a handle that is gone
// (returned to pending). Handles of one process are told apart by the live
// set, since a process does not see its own record locks.

// ClaimsFile returns the path of the file whose byte locks say which
// handles on the database at dbPath are open.
func ClaimsFile(dbPath string) string { return dbPath + ".claims" }
