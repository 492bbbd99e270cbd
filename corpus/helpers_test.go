package corpus

import "log/slog"

// discard is a logger for tests that do not look at the log.
var discard = slog.New(slog.DiscardHandler)
