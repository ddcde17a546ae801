package migrations

// WithLock runs fn holding the lock Up takes.
var WithLock = withLock
